using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture.Network;

/// <summary>
/// A network stream (<c>rtsp://</c>, <c>http(s)://</c>, <c>udp://</c>, <c>srt://</c>, …) decoded by a system
/// <c>ffmpeg</c> child process that writes raw BGR frames to its stdout; OpenCvSharp's bundled FFmpeg has no network
/// protocols. Frames are read from the pipe straight into frame slots. A stall watchdog kills an ffmpeg that delivers
/// nothing for <see cref="NetworkSourceOptions.StallTimeout"/>, and the source reconnects with jittered exponential
/// backoff, forever or up to <see cref="ReconnectOptions.MaxAttempts"/>. Start, loss and recovery are logged once each.
/// A live source: it runs at the stream's rate, dropping frames that find no free slot, except in
/// <see cref="Pacing.Lockstep"/>, where it waits for a slot and ffmpeg (and the sender, over TCP) waits with it.
/// </summary>
internal sealed class NetworkFrameSource : IFrameSource
{
    private readonly NetworkSourceOptions _network;
    private readonly SourceOptions _options;
    private readonly IPipelineLog _log;
    private readonly ChildProcessLauncher _launcher;
    private readonly string _ffmpeg;
    private readonly CaptureLifecycle _lifecycle = new();

    private NetworkFrameSource(string uri, string url, int streamIndex, SourceOptions options, IPipelineLog log,
        ChildProcessLauncher launcher, string ffmpeg, int width, int height, double fps)
    {
        Uri = uri;
        Url = url;
        SafeUrl = NetworkUrl.Redact(url);
        StreamIndex = streamIndex;
        _options = options;
        _network = options.Network;
        _log = log;
        _launcher = launcher;
        _ffmpeg = ffmpeg;
        Width = width;
        Height = height;
        FramesPerSecond = fps;
        Stride = FramePool.AlignedStride(width);
    }

    public string Uri { get; }

    /// <summary>The URL ffmpeg opens.</summary>
    public string Url { get; }

    /// <summary><see cref="Url"/> without its password, for logs and errors.</summary>
    public string SafeUrl { get; }

    public int StreamIndex { get; }
    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }

    /// <summary>The rate the stream announces; 0 when unknown (the size was configured, so the stream was not probed).</summary>
    public double FramesPerSecond { get; }

    public long? FrameCount => null;
    public SourceCounters Counters { get; } = new();

    /// <summary>True when ffmpeg is killed by the kernel should this process die without cleaning up.</summary>
    public bool ChildDiesWithParent => _launcher.UsesParentDeathSignal;

    /// <summary>Bytes of one frame as ffmpeg writes it: packed BGR rows.</summary>
    public int PackedFrameBytes => Width * 3 * Height;

    /// <summary>
    /// Checks the URL and ffmpeg, then learns the frame size: from <see cref="NetworkSourceOptions.Width"/>/Height, or
    /// by probing the stream with ffprobe under the reconnect policy (so an unreachable stream fails here, with exit 3,
    /// after <see cref="ReconnectOptions.MaxAttempts"/> attempts, or is waited for when that is 0).
    /// </summary>
    internal static NetworkFrameSource Open(SourceUri uri, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Debug.Assert(uri.Kind == SourceKind.Network);
        string url = uri.Target;
        NetworkUrl.Validate(url);
        string safe = NetworkUrl.Redact(url);
        NetworkSourceOptions network = options.Network;
        string ffmpeg = FfmpegCommand.Resolve(network.Ffmpeg)
            ?? throw new SourceUnavailableException(safe, $"'{network.Ffmpeg}' was not found; network streams are read through the system ffmpeg (apt-get install ffmpeg, or scripts/install-deps.sh), or set network.ffmpeg");
        ChildProcessLauncher launcher = ChildProcessLauncher.Detect();
        if (!launcher.UsesParentDeathSignal)
        {
            log.Warn($"s{streamIndex}: setpriv --pdeathsig is not available; ffmpeg is still stopped with the pipeline, but would survive a hard crash of it");
        }

        int width = network.Width;
        int height = network.Height;
        double fps = 0;
        if (width == 0)
        {
            string ffprobe = FfmpegCommand.Resolve(FfmpegCommand.ProbeExecutableFor(ffmpeg))
                ?? throw new SourceUnavailableException(safe, $"ffprobe was not found beside {ffmpeg}; it probes the frame size (or set network.width and network.height)");
            StreamProbe probe = ProbeWithRetries(launcher, ffprobe, url, safe, streamIndex, network, log);
            (width, height, fps) = (probe.Width, probe.Height, probe.FramesPerSecond);
        }
        var source = new NetworkFrameSource(uri.Original, url, streamIndex, options, log, launcher, ffmpeg, width, height, fps);
        log.Info($"s{streamIndex}: {safe}: {width}x{height}{(fps > 0 ? string.Create(CultureInfo.InvariantCulture, $" @ {fps:0.##} fps") : "")} via {Path.GetFileName(ffmpeg)} " +
                 $"({network.Transport.ToString().ToLowerInvariant()}, stall timeout {network.StallTimeout.TotalSeconds:0.###} s, " +
                 $"{(network.Reconnect.MaxAttempts == 0 ? "reconnecting forever" : $"giving up after {network.Reconnect.MaxAttempts} failed attempts")})");
        return source;
    }

    private static StreamProbe ProbeWithRetries(ChildProcessLauncher launcher, string ffprobe, string url, string safe, int streamIndex,
        NetworkSourceOptions network, IPipelineLog log)
    {
        var backoff = new ReconnectBackoff(network.Reconnect, new Random());
        int maxAttempts = network.Reconnect.MaxAttempts;
        for (int attempt = 1; ; attempt++)
        {
            StreamProbe probe = StreamProbe.Run(launcher, ffprobe, url, network.Transport, network.OpenTimeout);
            if (probe.Succeeded)
            {
                if (attempt > 1)
                {
                    log.Info($"s{streamIndex}: {safe} answered after {attempt} attempts");
                }
                return probe;
            }
            if (maxAttempts > 0 && attempt >= maxAttempts)
            {
                throw new SourceUnavailableException(safe, $"no video stream after {attempt} attempt{(attempt == 1 ? "" : "s")}: {probe.Failure}");
            }
            TimeSpan delay = backoff.Delay(attempt);
            if (attempt == 1)
            {
                log.Warn($"s{streamIndex}: cannot open {safe}: {probe.Failure}; retrying {(maxAttempts == 0 ? "until it answers" : $"up to {maxAttempts} attempts")}");
            }
            Thread.Sleep(delay);
        }
    }

    public Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
        => _lifecycle.Start(this, SafeUrl, SafeUrl, pool, output, Stride * Height, Width, Height, $"capture s{StreamIndex}",
            new NetworkCapture(this, pool, output).Capture, Counters, _log, $"s{StreamIndex}: capture from {SafeUrl} failed", ct);

    /// <summary>Stops a running capture (as cancellation would), kills ffmpeg and waits for the capture thread.</summary>
    public void Dispose()
    {
        _lifecycle.Stop();
    }

    internal NetworkSourceOptions Network => _network;
    internal SourceOptions Options => _options;
    internal IPipelineLog Log => _log;
    internal ChildProcessLauncher Launcher => _launcher;
    internal string Ffmpeg => _ffmpeg;
}
