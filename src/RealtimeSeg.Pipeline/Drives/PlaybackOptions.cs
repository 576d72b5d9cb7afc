namespace RealtimeSeg.Pipeline.Drives;

/// <summary>
/// Playback of recordings (the <c>playback:</c> section, or <c>--speed</c>/<c>--start</c>/<c>--end</c>/<c>--loop</c>).
/// Every key is optional; a set key overrides what each drive file says. <see cref="Loop"/> also loops plain video files.
/// </summary>
public sealed record PlaybackOptions
{
    /// <summary>Realtime pace only: recorded time runs this many times faster than the wall clock (0.5 = half speed).</summary>
    public double? Speed { get; init; }

    /// <summary>Drive time to start at (from the reference camera's first frame); earlier frames are skipped.</summary>
    public TimeSpan? Start { get; init; }

    /// <summary>Drive time to stop at; absent = to the end of the reference camera.</summary>
    public TimeSpan? End { get; init; }

    /// <summary>At the end (or <see cref="End"/>), start again from <see cref="Start"/>; sequence numbers keep increasing.</summary>
    public bool? Loop { get; init; }

    public void Validate()
    {
        if (Speed is { } speed && !(speed > 0 && speed <= 1000))
        {
            throw new ArgumentException($"speed must be > 0 and ≤ 1000 (got {speed})", nameof(Speed));
        }
        if (Start is { } start && End is { } end && end <= start)
        {
            throw new ArgumentException($"end ({end.TotalSeconds:0.###} s) must be after start ({start.TotalSeconds:0.###} s)", nameof(End));
        }
    }
}
