namespace RealtimeSeg.Fleet;

/// <summary>
/// A job's completion record (<c>done.&lt;job id&gt;</c> in the ledger), created once, after its results are stored
/// and before the job message is acked. Status counts these; per-worker throughput comes from them.
/// </summary>
internal sealed record JobCompletion
{
    public required string JobId { get; init; }
    public required string Worker { get; init; }

    /// <summary>The delivery that completed it (1 = first; more after a worker died or a failure was retried).</summary>
    public required ulong Delivery { get; init; }

    public required long Frames { get; init; }
    public required double Seconds { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>Where the results went: <c>object-store</c> or the shared folder.</summary>
    public required string Results { get; init; }
}
