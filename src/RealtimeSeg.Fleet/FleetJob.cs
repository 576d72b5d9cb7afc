namespace RealtimeSeg.Fleet;

/// <summary>
/// One job message: a segment of a recorded source, by reference (never the frames). Frames
/// <see cref="FirstFrame"/> … <see cref="EndFrame"/> (exclusive) are processed; <see cref="FirstFrame"/> …
/// <see cref="StartFrame"/> is the overlap with the previous segment (tracker warm-up, used to join track ids);
/// <see cref="StartFrame"/> … <see cref="EndFrame"/> is the part of the source this segment owns.
/// </summary>
internal sealed record FleetJob
{
    /// <summary>Deterministic: the same source, config and segmentation give the same id, so a resubmission is deduplicated.</summary>
    public required string JobId { get; init; }

    /// <summary>The source URI, as workers open it (a path on storage every worker sees).</summary>
    public required string Source { get; init; }

    /// <summary>Key of the source's ledger entry (<c>source.&lt;key&gt;</c>).</summary>
    public required string SourceKey { get; init; }

    public required int Segment { get; init; }
    public required int Segments { get; init; }
    public required long FirstFrame { get; init; }
    public required long StartFrame { get; init; }
    public required long EndFrame { get; init; }

    /// <summary>The source's frame rate at submit time (seconds in status and logs).</summary>
    public required double Fps { get; init; }

    /// <summary>Pipeline config file (absolute path on shared storage), or null for the defaults.</summary>
    public string? Config { get; init; }

    /// <summary>Model file (absolute path), replacing the config's <c>model.path</c>; null keeps the config's.</summary>
    public string? Model { get; init; }

    /// <summary>SHA-256 (hex, 16 digits) of the config file and model path at submit; a worker refuses a job whose config changed since.</summary>
    public required string ConfigHash { get; init; }

    /// <summary>Frames this job processes (overlap included).</summary>
    public long Frames => EndFrame - FirstFrame;

    public override string ToString()
        => $"{JobId} (segment {Segment + 1}/{Segments} of {Source}, frames {FirstFrame}…{EndFrame - 1}, owns {StartFrame}…)";
}
