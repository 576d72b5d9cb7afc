namespace RealtimeSeg.Pipeline.Drives;

/// <summary>One camera of a recorded drive (an item of <c>cameras:</c> in a drive file); it becomes a stream of the pipeline.</summary>
public sealed record DriveCameraConfig
{
    /// <summary>Stream id (topic <c>rseg/frame/NAME</c>), e.g. <c>front</c>. Required.</summary>
    public string Name { get; init; } = "";

    /// <summary>The recording: a video path, <c>file:PATH</c>, <c>images:DIR</c>, <c>synthetic:…</c> (any source URI). Required.</summary>
    public string Uri { get; init; } = "";

    /// <summary>
    /// A text file with the recorded time of each frame, in seconds, one line per frame in order (<c>#</c> starts a
    /// comment). Absent: frame N was recorded at <see cref="OffsetSeconds"/> + N / fps.
    /// </summary>
    public string? Timestamps { get; init; }

    /// <summary>Added to every recorded time of this camera (clock skew between recorders); may be negative. Default 0.</summary>
    public double OffsetSeconds { get; init; }

    /// <summary>Overrides the recording's nominal frame rate for times without a timestamps file. Absent: the source's rate.</summary>
    public double? Fps { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"name '{Name}' must be non-empty and without '/' (it becomes a stream id and topic segment)", nameof(Name));
        }
        if (string.IsNullOrWhiteSpace(Uri))
        {
            throw new ArgumentException("uri is required (a video path, file:PATH, images:DIR or synthetic:…)", nameof(Uri));
        }
        if (Uri.StartsWith(DriveConfig.UriScheme, StringComparison.Ordinal))
        {
            throw new ArgumentException("a drive camera cannot itself be a drive", nameof(Uri));
        }
        if (!double.IsFinite(OffsetSeconds))
        {
            throw new ArgumentException($"offset_seconds must be a finite number (got {OffsetSeconds})", nameof(OffsetSeconds));
        }
        if (Fps is { } fps && !(fps > 0 && fps <= 1000))
        {
            throw new ArgumentException($"fps must be > 0 and ≤ 1000 (got {fps})", nameof(Fps));
        }
    }
}
