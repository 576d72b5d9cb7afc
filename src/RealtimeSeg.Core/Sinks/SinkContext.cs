namespace RealtimeSeg.Core.Sinks;

/// <summary>What a sink learns about the run before the first frame.</summary>
/// <param name="Streams">Every stream, by index (a frame's <see cref="PanopticFrame.StreamIndex"/>).</param>
/// <param name="Categories">The category table every frame's category ids refer to.</param>
public sealed record SinkContext(IReadOnlyList<SinkStream> Streams, CategoryTable Categories);
