namespace RealtimeSeg.Pipeline.Stats;

/// <summary>What a finished (or running) pipeline reports: the content of <c>--stats</c> (DESIGN §5).</summary>
public sealed record PipelineReport
{
    public long FramesCaptured { get; init; }
    public long FramesProcessed { get; init; }
    public long FramesPublished { get; init; }
    public long FramesDropped { get; init; }
    public IReadOnlyList<StreamCounters> Streams { get; init; } = [];
    public IReadOnlyDictionary<LatencyStage, LatencySummary> Latency { get; init; } = new Dictionary<LatencyStage, LatencySummary>();
    /// <summary>Capture → publish latency per <c>pipeline.latency_window</c> of the run, oldest first.</summary>
    public IReadOnlyList<LatencyWindow> LatencyWindows { get; init; } = [];
    public double ThroughputFps { get; init; }
    public double ElapsedSeconds { get; init; }
    /// <summary>Managed bytes allocated by the whole process per published frame after warm-up.</summary>
    public double ManagedAllocBytesPerFrame { get; init; }
    public int GcGen2Collections { get; init; }
    public string ExecutionProvider { get; init; } = "";
    public IReadOnlyList<ModelSummary> Models { get; init; } = [];
    /// <summary>Tracks currently confirmed, summed over the streams.</summary>
    public int ActiveTracks { get; init; }
}
