namespace RealtimeSeg.Pipeline.Stats;

/// <summary>Per-stream counters (the items of <c>streams</c> in <c>--stats</c>).</summary>
public sealed record StreamCounters(string Id, long FramesCaptured, long FramesProcessed, long FramesPublished, long FramesDropped, long Reconnects, long FramesCorrupt, long FramesCopied);
