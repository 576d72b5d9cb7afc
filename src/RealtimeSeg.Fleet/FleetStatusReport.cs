namespace RealtimeSeg.Fleet;

/// <summary><c>fleet status</c>: job counts (JSON keys <c>total</c>, <c>pending</c>, <c>in_progress</c>, <c>done</c>, <c>failed</c>), per-worker throughput, ETA.</summary>
public sealed record FleetStatusReport
{
    public int Total { get; init; }
    public int Pending { get; init; }
    public int InProgress { get; init; }
    public int Done { get; init; }
    public int Failed { get; init; }

    /// <summary>Deliveries beyond the first so far (jobs whose worker died, timed out or failed and retried).</summary>
    public long Redelivered { get; init; }

    public long FramesTotal { get; init; }
    public long FramesDone { get; init; }

    /// <summary>Frames per second of the whole fleet: frames done over the time from the first job's start to the last one's end.</summary>
    public double ThroughputFps { get; init; }

    /// <summary>Remaining frames at <see cref="ThroughputFps"/>; null before any job is done.</summary>
    public double? EtaSeconds { get; init; }

    public IReadOnlyList<WorkerThroughput> Workers { get; init; } = [];
    public IReadOnlyList<SourceProgress> Sources { get; init; } = [];
}
