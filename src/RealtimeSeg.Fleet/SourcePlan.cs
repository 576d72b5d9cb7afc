namespace RealtimeSeg.Fleet;

/// <summary>A submitted source's segment plan, kept in the ledger (<c>source.&lt;key&gt;</c>): what <c>fleet fetch</c> stitches.</summary>
internal sealed record SourcePlan
{
    public required string Source { get; init; }
    public required string SourceKey { get; init; }
    public required long FrameCount { get; init; }
    public required double Fps { get; init; }
    public required double SegmentSeconds { get; init; }
    public required double OverlapSeconds { get; init; }
    public required string ConfigHash { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The jobs in source order.</summary>
    public required IReadOnlyList<FleetJob> Jobs { get; init; }
}
