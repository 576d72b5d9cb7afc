namespace RealtimeSeg.Pipeline.Stats;

/// <summary>Per-stream counters (the items of <c>streams</c> in <c>--stats</c>).</summary>
public sealed record StreamCounters(string Id, long FramesCaptured, long FramesProcessed, long FramesPublished, long FramesDropped, long Reconnects, long FramesCorrupt, long FramesCopied)
{
    /// <summary>The stream's source URI (for a drive camera: the camera's URI).</summary>
    public string Uri { get; init; } = "";

    /// <summary>Drive cameras: frame sets in which this camera had no frame within the alignment tolerance.</summary>
    public long FramesMissing { get; init; }

    /// <summary>Failed connection attempts of a network or device source (each followed by a retry with back-off).</summary>
    public long ConnectFailures { get; init; }

    /// <summary>Capture → publish latency of this stream's frames.</summary>
    public LatencySummary CaptureToPublish { get; init; }

    /// <summary>What ended the stream early (its source failed) while the other streams went on; null when it did not fail.</summary>
    public string? Error { get; init; }
}
