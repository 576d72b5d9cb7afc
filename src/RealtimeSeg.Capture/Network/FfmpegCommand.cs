using System.Globalization;

namespace RealtimeSeg.Capture.Network;

/// <summary>
/// The ffmpeg and ffprobe command lines for a network stream. A URL with a password never goes on the command line,
/// where every local user could read it (<c>ps</c>, <c>/proc/PID/cmdline</c>): ffmpeg 5 has no option that takes
/// credentials or reads an option from a file, so such a URL is handed over on the child's stdin as a one-entry
/// ffconcat list (<c>-f concat -i pipe:0</c>, <see cref="StandardInput"/>), its demuxer options as the list's
/// <c>option</c> lines. Without a password the URL is passed directly, as before.
/// </summary>
internal static class FfmpegCommand
{
    /// <summary>Protocols the concat demuxer may open for the listed URL (and the pipe it reads the list from).</summary>
    private const string ConcatProtocols = "pipe,file,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https,httpproxy,crypto,rtmp,rtmps,rtmpt,srt";

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
        AddInput(args, url, transport, "-i");
        args.AddRange(
        [
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
        args.AddRange(["-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate", "-of", "default=noprint_wrappers=1"]);
        AddInput(args, url, transport, null);
        return args;
    }

    /// <summary>
    /// What to write to the child's stdin before closing it: the ffconcat list naming a URL with a password, or null
    /// when the URL is on the command line (no password).
    /// </summary>
    public static string? StandardInput(string url, NetworkTransport transport)
    {
        if (!NetworkUrl.HasPassword(url))
        {
            return null;
        }
        var list = new System.Text.StringBuilder("ffconcat version 1.0\n");
        // ffconcat quotes with '; a ' inside is written as '\'' (the URL has no white space: NetworkUrl.Validate).
        list.Append("file '").Append(url.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        // The inner demuxer probes like the direct command line does: briefly, without buffering.
        list.Append("option fflags nobuffer+discardcorrupt\noption probesize 500000\noption analyzeduration 1000000\n");
        if (IsRtsp(url))
        {
            list.Append("option rtsp_transport ").Append(TransportName(transport)).Append('\n');
        }
        return list.ToString();
    }

    /// <summary>The input: the URL itself, or (with a password) the concat demuxer reading <see cref="StandardInput"/>.</summary>
    private static void AddInput(List<string> args, string url, NetworkTransport transport, string? inputFlag)
    {
        if (NetworkUrl.HasPassword(url))
        {
            args.AddRange(["-f", "concat", "-safe", "0", "-protocol_whitelist", ConcatProtocols]);
            AddOptional(args, inputFlag);
            args.Add("pipe:0");
            return;
        }
        if (IsRtsp(url))
        {
            args.Add("-rtsp_transport");
            args.Add(TransportName(transport));
        }
        AddOptional(args, inputFlag);
        args.Add(url);
    }

    private static void AddOptional(List<string> args, string? flag)
    {
        if (flag is not null)
        {
            args.Add(flag);
        }
    }

    private static bool IsRtsp(string url) => url.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase);

    private static string TransportName(NetworkTransport transport) => transport == NetworkTransport.Udp ? "udp" : "tcp";

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
