using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>What the host (the CLI, a test, an embedding application) adds to a run besides its config.</summary>
public sealed record PipelineHostOptions
{
    /// <summary>One frame pool every source rents from (tests pass a diagnostic one); null: one pool per source, sized for it.</summary>
    public FramePool? FramePool { get; init; }

    /// <summary>Sinks besides the ones the config asks for (a recorder, a viewer, a test's probe). The run disposes them.</summary>
    public IReadOnlyList<IFrameSink> Sinks { get; init; } = [];

    /// <summary>Composed frames from a diagnostic pool: the run fails at its end if a sink leaked a frame.</summary>
    public bool Diagnostics { get; init; }
}
