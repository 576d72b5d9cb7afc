namespace RealtimeSeg.Core.Sinks;

/// <summary>What a sink learns about the run before the first frame.</summary>
/// <param name="Streams">Every stream, by index (a frame's <see cref="PanopticFrame.StreamIndex"/>).</param>
/// <param name="Categories">The category table every frame's category ids refer to.</param>
/// <param name="Run">The run's id (random per process start; protocol v2 <c>run</c>).</param>
public sealed record SinkContext(IReadOnlyList<SinkStream> Streams, CategoryTable Categories, string Run);
