using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Images;

/// <summary>Options of an image sequence (<c>images:DIR</c>; the <c>images:</c> section of a source).</summary>
public sealed record ImageSequenceOptions
{
    /// <summary>
    /// A timestamps file: one line per image, either integer nanoseconds or seconds with a decimal point (KITTI's
    /// <c>times.txt</c>). Realtime pacing follows it. Null (default): <c>DIR/times.txt</c> or <c>DIR/timestamps.txt</c>
    /// when present, else a steady <see cref="Fps"/>.
    /// </summary>
    public string? Timestamps { get; init; }

    /// <summary>Frame rate of a sequence without timestamps. Default 10 (KITTI's camera rate).</summary>
    public double Fps { get; init; } = 10;

    /// <summary>Throws <see cref="ConfigurationException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Fps) || Fps <= 0 || Fps > 1000)
        {
            throw new ConfigurationException($"source option 'images.fps' is {Fps}; expected a rate above 0 and up to 1000");
        }
        if (Timestamps is not null && Timestamps.Trim().Length == 0)
        {
            throw new ConfigurationException("source option 'images.timestamps' is empty; give a file or leave it out");
        }
    }
}
