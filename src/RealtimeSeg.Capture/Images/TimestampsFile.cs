using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Images;

/// <summary>
/// A timestamps file for an image sequence: one line per image, integer nanoseconds (<c>1317384588915484</c>…) or
/// seconds with a fraction (KITTI's <c>times.txt</c>: <c>0.000000e+00</c>, <c>1.036224e-01</c>, …). Blank lines at the
/// end are ignored. Times must not go backwards.
/// </summary>
internal static class TimestampsFile
{
    /// <summary>Reads the file into nanoseconds; throws <see cref="ConfigurationException"/> naming the file and line.</summary>
    public static long[] Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"timestamps file '{path}' does not exist");
        }
        string[] lines = File.ReadAllLines(path);
        int count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0)
        {
            count--;
        }
        var times = new long[count];
        for (int i = 0; i < count; i++)
        {
            string text = lines[i].Trim();
            times[i] = Parse(text, path, i + 1);
            if (i > 0 && times[i] < times[i - 1])
            {
                throw new ConfigurationException($"{path}:{i + 1}: timestamp '{text}' goes back in time (the line before says later)");
            }
        }
        return times;
    }

    private static long Parse(string text, string path, int line)
    {
        bool seconds = text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.OrdinalIgnoreCase);
        if (!seconds && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ns))
        {
            return ns;
        }
        if (seconds && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && double.IsFinite(s) && Math.Abs(s) < 9e9)
        {
            return (long)Math.Round(s * 1e9);
        }
        throw new ConfigurationException($"{path}:{line}: '{text}' is not a timestamp (expected integer nanoseconds or seconds such as 1.036224e-01)");
    }
}
