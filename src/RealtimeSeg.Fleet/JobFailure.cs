namespace RealtimeSeg.Fleet;

/// <summary>A dead letter (<c>rseg.dead.&lt;job id&gt;</c>, also <c>failed.&lt;job id&gt;</c> in the ledger): a job given up on, with why.</summary>
internal sealed record JobFailure
{
    public required FleetJob Job { get; init; }
    public required string Error { get; init; }
    public required ulong Deliveries { get; init; }
    public required string Worker { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
