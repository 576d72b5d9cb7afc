namespace RealtimeSeg.Pipeline.Stats;

/// <summary>What a finished (or running) pipeline reports: the content of <c>--stats</c> (DESIGN §5).</summary>
public sealed record PipelineReport
{
    public long FramesCaptured { get; init; }
    public long FramesProcessed { get; init; }
    public long FramesPublished { get; init; }
    public long FramesDropped { get; init; }

    /// <summary>Every stream's <see cref="StreamCounters.FramesInFlight"/>: captured frames the run ended with before they were processed or dropped.</summary>
    public long FramesInFlight { get; init; }
    public IReadOnlyList<StreamCounters> Streams { get; init; } = [];

    /// <summary>Every sink with what it was offered and dropped, in the order they were added.</summary>
    public IReadOnlyList<SinkCounters> Sinks { get; init; } = [];
    public IReadOnlyDictionary<LatencyStage, LatencySummary> Latency { get; init; } = new Dictionary<LatencyStage, LatencySummary>();
    /// <summary>
    /// Per frame, the pipeline's own work outside the model run and video decode (preprocess, output decoding,
    /// tracking, composition, encoding), summed over the stages: the figure DESIGN §7's 1 ms budget is about.
    /// </summary>
    public LatencySummary PipelineWork { get; init; }

    /// <summary>Capture → publish latency per <c>pipeline.latency_window</c> of the run, oldest first.</summary>
    public IReadOnlyList<LatencyWindow> LatencyWindows { get; init; } = [];
    public double ThroughputFps { get; init; }
    public double ElapsedSeconds { get; init; }
    /// <summary>
    /// Managed bytes allocated by the whole process per published frame after warm-up, sampled per interval with the
    /// imprecise counter (<c>GC.GetTotalAllocatedBytes(false)</c>: it moves in allocation-context chunks of about 8 KB per
    /// thread, so short runs read coarse).
    /// </summary>
    public double ManagedAllocBytesPerFrame { get; init; }
    public int GcGen2Collections { get; init; }

    /// <summary>The process's working set (bytes) when the report was taken: what a soak watches grow or not.</summary>
    public long WorkingSetBytes { get; init; }

    /// <summary>Managed heap in use (bytes, without forcing a collection) when the report was taken.</summary>
    public long ManagedHeapBytes { get; init; }
    public string ExecutionProvider { get; init; } = "";
    public IReadOnlyList<ModelSummary> Models { get; init; } = [];
    /// <summary>Taken while the run was still going (the <c>--stats</c> file rewritten every second), not at its end.</summary>
    public bool Running { get; init; }

    /// <summary>Tracks currently confirmed, summed over the streams.</summary>
    public int ActiveTracks { get; init; }

    /// <summary>How the publisher is secured: "curve" (CURVE keys) or "none" (plaintext; see <see cref="Warnings"/>).</summary>
    public string PublishAuthentication { get; init; } = "none";

    /// <summary>Conditions an operator must know about, e.g. publishing in plaintext beyond loopback (--insecure).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
