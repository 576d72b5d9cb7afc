using System.Globalization;

namespace RealtimeSeg.Capture.Network;

/// <summary>The ffmpeg and ffprobe command lines for a network stream.</summary>
internal static class FfmpegCommand
{
    /// <summary>
    /// ffmpeg reading <paramref name="url"/> and writing raw BGR frames of exactly <paramref name="width"/>×<paramref name="height"/>
    /// to stdout. Low latency: no input buffering, low-delay decoding, a small probe; <c>-fps_mode passthrough</c>
    /// so ffmpeg never duplicates or holds back frames to keep a constant rate; the forced output size means a
    /// mid-stream resolution change is scaled instead of breaking the frame framing on the pipe.
    /// </summary>
    public static List<string> Capture(string url, NetworkTransport transport, int width, int height)
    {
        var args = new List<string>
        {
            "-nostdin", "-hide_banner", "-loglevel", "error",
            "-fflags", "nobuffer+discardcorrupt", "-flags", "low_delay",
            "-probesize", "500000", "-analyzeduration", "1000000",
        };
        AddTransport(args, url, transport);
        args.AddRange(
        [
            "-i", url,
            "-map", "0:v:0", "-an", "-sn", "-dn",
            "-s", width.ToString(CultureInfo.InvariantCulture) + "x" + height.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "bgr24", "-fps_mode", "passthrough",
            "-f", "rawvideo", "pipe:1",
        ]);
        return args;
    }

    /// <summary>ffprobe printing the first video stream's <c>width=</c>, <c>height=</c>, <c>avg_frame_rate=</c>, <c>r_frame_rate=</c>.</summary>
    public static List<string> Probe(string url, NetworkTransport transport)
    {
        var args = new List<string> { "-v", "error" };
        AddTransport(args, url, transport);
        args.AddRange(["-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate", "-of", "default=noprint_wrappers=1", url]);
        return args;
    }

    private static void AddTransport(List<string> args, string url, NetworkTransport transport)
    {
        if (url.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase))
        {
            args.Add("-rtsp_transport");
            args.Add(transport == NetworkTransport.Udp ? "udp" : "tcp");
        }
    }

    /// <summary>ffprobe beside the configured ffmpeg (or from PATH when ffmpeg is).</summary>
    public static string ProbeExecutableFor(string ffmpeg)
    {
        string name = Path.GetFileName(ffmpeg);
        string probeName = name.Replace("ffmpeg", "ffprobe", StringComparison.Ordinal);
        string? dir = Path.GetDirectoryName(ffmpeg);
        return string.IsNullOrEmpty(dir) ? probeName : Path.Combine(dir, probeName);
    }

    /// <summary>The absolute path of <paramref name="executable"/> (a path, or a name looked up in PATH); null when absent.</summary>
    public static string? Resolve(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(executable) ? Path.GetFullPath(executable) : null;
        }
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (path is null)
        {
            return null;
        }
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
