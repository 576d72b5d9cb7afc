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

    /// <summary>
    /// Of <see cref="FramesDropped"/>, the frames lost after the model had processed them (on the way to the encoder);
    /// they are counted in <see cref="FramesProcessed"/> too.
    /// </summary>
    public long FramesDroppedAfterProcessing { get; init; }

    /// <summary>
    /// Captured frames neither processed, dropped nor skipped as corrupt: while the run goes on, the frames between
    /// capture and tracking; at its end, the ones a stop caught there (the frame being captured, or frames still in a
    /// capture ring or the model when the drain deadline passed). So that, always,
    /// <c>captured = processed + (dropped − dropped_after_processing) + corrupt + in_flight</c>.
    /// </summary>
    public long FramesInFlight { get; init; }

    /// <summary>Capture → publish latency of this stream's frames.</summary>
    public LatencySummary CaptureToPublish { get; init; }

    /// <summary>What ended the stream early (its source failed) while the other streams went on; null when it did not fail.</summary>
    public string? Error { get; init; }
}
