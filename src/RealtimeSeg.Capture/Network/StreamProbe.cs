using System.Diagnostics;
using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Network;

/// <summary>What ffprobe found in a stream: the first video stream's size and rate, or why there is none.</summary>
internal readonly record struct StreamProbe(int Width, int Height, double FramesPerSecond, string? Failure)
{
    public bool Succeeded => Failure is null;

    /// <summary>Runs ffprobe once, killing it after <paramref name="timeout"/> or when <paramref name="ct"/> is cancelled (then the result says so).</summary>
    public static StreamProbe Run(ChildProcessLauncher launcher, string ffprobe, string url, NetworkTransport transport, TimeSpan timeout, CancellationToken ct)
    {
        using Process p = launcher.Start(ffprobe, FfmpegCommand.Probe(url, transport), standardInput: FfmpegCommand.StandardInput(url, transport));
        using CancellationTokenRegistration onCancel = ct.UnsafeRegister(static s => ChildProcessLauncher.KillQuietly((Process)s!), p);
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        if (!p.WaitForExit(timeout))
        {
            ChildProcessLauncher.KillQuietly(p);
            p.WaitForExit();
            return new StreamProbe(0, 0, 0, string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.#} s (open_timeout)"));
        }
        if (ct.IsCancellationRequested)
        {
            p.WaitForExit();
            return new StreamProbe(0, 0, 0, "stopped");
        }
        p.WaitForExit();
        string output = stdout.GetAwaiter().GetResult();
        string errors = stderr.GetAwaiter().GetResult();
        return Parse(output, errors, p.ExitCode);
    }

    /// <summary>Reads ffprobe's <c>key=value</c> lines.</summary>
    public static StreamProbe Parse(string output, string errors, int exitCode)
    {
        int width = 0;
        int height = 0;
        double avg = 0;
        double nominal = 0;
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            string key = line[..eq];
            string value = line[(eq + 1)..];
            switch (key)
            {
                case "width": _ = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out width); break;
                case "height": _ = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out height); break;
                case "avg_frame_rate": avg = Rate(value); break;
                case "r_frame_rate": nominal = Rate(value); break;
            }
        }
        if (width > 0 && height > 0)
        {
            return new StreamProbe(width, height, avg > 0 ? avg : nominal, null);
        }
        string why = LastLine(errors) ?? (exitCode != 0 ? $"ffprobe exited with code {exitCode}" : "the stream has no video track");
        return new StreamProbe(0, 0, 0, why);
    }

    /// <summary>"30000/1001" → 29.97; "0/0" or junk → 0.</summary>
    internal static double Rate(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain) && plain > 0 && plain <= 1000 ? plain : 0;
        }
        if (double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out double num)
            && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double den)
            && num > 0 && den > 0)
        {
            double fps = num / den;
            // RTP streams announce a 90 kHz clock as "90000/1" when they know no better; not a frame rate.
            return fps <= 1000 ? fps : 0;
        }
        return 0;
    }

    /// <summary>The last non-empty line of ffmpeg/ffprobe stderr (their most specific complaint), or null.</summary>
    internal static string? LastLine(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            if (lines[i].Length > 0 && !lines[i].StartsWith("Last message repeated", StringComparison.Ordinal))
            {
                return lines[i];
            }
        }
        return null;
    }
}
