using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Drives;

/// <summary>
/// When each frame of one camera was recorded, in seconds: from its timestamps file, or from its frame rate
/// (frame N at offset + N / fps). Pure and allocation-free per frame (the file is read once, at open).
/// </summary>
internal sealed class DriveTimeline
{
    private readonly double[]? _times;
    private readonly double _offset;
    private readonly double _fps;

    private DriveTimeline(double[]? times, double offset, double fps)
    {
        _times = times;
        _offset = offset;
        _fps = fps;
    }

    public static DriveTimeline FromRate(double fps, double offsetSeconds)
    {
        if (!(fps > 0 && double.IsFinite(fps)))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "a frame rate is needed to time frames without a timestamps file");
        }
        return new DriveTimeline(null, offsetSeconds, fps);
    }

    public static DriveTimeline FromTimestamps(double[] times, double offsetSeconds) => new(times, offsetSeconds, 0);

    /// <summary>Frames the timeline knows times for; null when it times any frame (from the rate).</summary>
    public long? Length => _times?.Length;

    /// <summary>The recorded time of frame <paramref name="sequence"/>, or false when the timestamps file has no line for it.</summary>
    public bool TryGetTime(long sequence, out double seconds)
    {
        if (_times is null)
        {
            seconds = _offset + (sequence / _fps);
            return true;
        }
        if ((ulong)sequence >= (ulong)_times.Length)
        {
            seconds = 0;
            return false;
        }
        seconds = _offset + _times[sequence];
        return true;
    }

    /// <summary>
    /// Reads a timestamps file: one time in seconds per line (blank lines and <c>#</c> comments skipped), strictly
    /// increasing. Errors name the file and line after <paramref name="context"/>.
    /// </summary>
    /// <exception cref="ConfigurationException">Missing file, a line that is not a number, or times that do not increase.</exception>
    public static double[] ReadTimestamps(string path, string context = "")
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{context}timestamps file '{path}' does not exist");
        }
        var times = new List<double>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) || !double.IsFinite(t))
            {
                throw new ConfigurationException($"{context}{path}:{lineNumber}: '{line}' is not a time in seconds");
            }
            if (times.Count > 0 && t <= times[^1])
            {
                throw new ConfigurationException($"{context}{path}:{lineNumber}: time {t.ToString(CultureInfo.InvariantCulture)} is not after the previous line's {times[^1].ToString(CultureInfo.InvariantCulture)}; times must increase");
            }
            times.Add(t);
        }
        if (times.Count == 0)
        {
            throw new ConfigurationException($"{context}{path}: no timestamps in the file");
        }
        return times.ToArray();
    }
}
