namespace RealtimeSeg.Pipeline.Drives;

/// <summary>
/// A recorded drive: several synchronized cameras played on one clock (a <c>configs/drive-*.yaml</c> file, used as
/// the source <c>drive:FILE</c>). Each frame of the reference camera makes a frame set; another camera joins the set
/// with its frame closest in time when that is within <see cref="Tolerance"/>, and is counted missing otherwise.
/// </summary>
public sealed record DriveConfig
{
    /// <summary>The source URI scheme that names a drive file.</summary>
    public const string UriScheme = "drive:";

    /// <summary>For the log. Default: the file name.</summary>
    public string? Name { get; init; }

    public IReadOnlyList<DriveCameraConfig> Cameras { get; init; } = [];

    /// <summary>The camera whose frames define the frame sets and the drive's time zero. Default: the first camera.</summary>
    public string? Reference { get; init; }

    /// <summary>How far a camera's frame may be from the reference time and still join its frame set. Default 20 ms.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Defaults for playback; the pipeline's <c>playback:</c> section and the command line override them.</summary>
    public PlaybackOptions Playback { get; init; } = new();

    /// <summary>The reference camera's index in <see cref="Cameras"/>.</summary>
    public int ReferenceIndex
    {
        get
        {
            if (Reference is null)
            {
                return 0;
            }
            for (int i = 0; i < Cameras.Count; i++)
            {
                if (Cameras[i].Name == Reference)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    public void Validate()
    {
        if (Cameras.Count == 0)
        {
            throw new ArgumentException("at least one camera is required", nameof(Cameras));
        }
        if (ReferenceIndex < 0)
        {
            throw new ArgumentException($"reference '{Reference}' is not the name of a camera", nameof(Reference));
        }
        if (Tolerance <= TimeSpan.Zero)
        {
            throw new ArgumentException($"tolerance must be > 0 (got {Tolerance})", nameof(Tolerance));
        }
        try
        {
            Playback.Validate();
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            // Report the key as written in the drive file: playback.end, not end.
            throw new ArgumentException(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal), nameof(Playback) + "." + e.ParamName, e);
        }
    }
}
