namespace RealtimeSeg.Core.Sinks;

/// <summary>One stream as a sink sees it.</summary>
/// <param name="Index">The stream's index (stamped into every frame).</param>
/// <param name="Name">The stream's name (its topic; unique in the run).</param>
/// <param name="Source">The source URI with any credentials redacted.</param>
/// <param name="FramesPerSecond">The source's nominal rate; 0 when not known yet (a network stream not yet connected).</param>
public sealed record SinkStream(int Index, string Name, string Source, double FramesPerSecond);
