namespace RealtimeSeg.Fleet;

/// <summary>What <c>realtimeseg worker</c> does besides connecting.</summary>
public sealed record WorkerOptions
{
    /// <summary>Jobs run at once in this process, each its own pipeline (model session, threads). Default 1.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// How long JetStream waits for an ack before it gives the job to another worker (the consumer's ack wait; every
    /// worker sets it, keep it the same on all). A running job sends in-progress acks every third of it. Default 30 s.
    /// </summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries of one job before it goes to the dead-letter subject with its last error. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>A shared results folder instead of the object store (<c>--results DIR</c>); null: the object store.</summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>Stop when every submitted job is done or failed (batch runs, tests); otherwise wait for more work.</summary>
    public bool ExitWhenDone { get; init; }

    /// <summary>This worker's name in completion records and status; default host:pid.</summary>
    public string? Name { get; init; }

    public void Validate()
    {
        if (Concurrency is < 1 or > 64)
        {
            throw new ArgumentException($"--concurrency must be in 1…64 (got {Concurrency})");
        }
        if (AckWait < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"--ack-wait must be ≥ 1 s (got {AckWait.TotalSeconds} s)");
        }
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"--max-attempts must be ≥ 1 (got {MaxAttempts})");
        }
    }
}
