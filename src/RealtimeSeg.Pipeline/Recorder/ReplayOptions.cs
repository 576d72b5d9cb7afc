namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>How <c>realtimeseg replay</c> plays a recording (<see cref="RecordingPlayer"/>).</summary>
public sealed record ReplayOptions
{
    /// <summary>Recorded time runs this many times faster than the wall clock (0.01…100). Default 1.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Start again at the end (each pass is a new run for subscribers only in that <c>seq</c> starts over).</summary>
    public bool Loop { get; init; }

    /// <summary>Skip the recording's first seconds (recorded time). Default 0.</summary>
    public TimeSpan Start { get; init; }

    /// <summary>Stop this far into the recording (recorded time); null plays to the end.</summary>
    public TimeSpan? End { get; init; }

    /// <summary>Replay one stream only; null replays every stream.</summary>
    public string? Stream { get; init; }

    /// <summary>Before the first frame, wait up to this long for a subscriber (so it sees the whole replay).</summary>
    public TimeSpan WaitForSubscriber { get; init; }

    public void Validate()
    {
        if (!(Speed is >= 0.01 and <= 100))
        {
            throw new Core.ConfigurationException($"--speed must be 0.01…100 (got {Speed})");
        }
        if (Start < TimeSpan.Zero || (End is { } end && end <= Start))
        {
            throw new Core.ConfigurationException($"--start ({Start.TotalSeconds} s) must be ≥ 0 and before --end ({End?.TotalSeconds} s)");
        }
        if (WaitForSubscriber < TimeSpan.Zero)
        {
            throw new Core.ConfigurationException("--wait-for-subscriber must be ≥ 0");
        }
    }
}
