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
    private int _width;
    private int _height;
    private long _fpsBits;

    private NetworkFrameSource(string uri, string url, int streamIndex, SourceOptions options, IPipelineLog log,
        ChildProcessLauncher launcher, string ffmpeg, string? ffprobe)
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
        Ffprobe = ffprobe;
        if (_network.Width > 0)
        {
            SetSize(_network.Width, _network.Height, 0);
        }
    }

    public string Uri { get; }

    /// <summary>The URL ffmpeg opens.</summary>
    public string Url { get; }

    /// <summary><see cref="Url"/> without its password, for logs and errors.</summary>
    public string SafeUrl { get; }

    public int StreamIndex { get; }

    /// <summary>Frame width: configured, or learned by probing the stream on the first successful connection; 0 until then.</summary>
    public int Width => Volatile.Read(ref _width);

    /// <summary>Frame height; 0 until known (see <see cref="Width"/>).</summary>
    public int Height => Volatile.Read(ref _height);

    public int Stride => FramePool.AlignedStride(Width);

    /// <summary>The rate the stream announces; 0 until probed, and when the size was configured (the stream is then not probed).</summary>
    public double FramesPerSecond => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _fpsBits));

    public long? FrameCount => null;
    public SourceCounters Counters { get; } = new();

    /// <summary>True when ffmpeg is killed by the kernel should this process die without cleaning up.</summary>
    public bool ChildDiesWithParent => _launcher.UsesParentDeathSignal;

    /// <summary>Bytes of one frame as ffmpeg writes it: packed BGR rows.</summary>
    public int PackedFrameBytes => Width * 3 * Height;

    /// <summary>True once the frame size is known (configured, or probed on a connection).</summary>
    public bool HasSize => Width > 0;

    /// <summary>
    /// Checks the URL and that ffmpeg (and ffprobe, when the size must be probed) exist. Never touches the network: an
    /// unreachable stream must not hold up the run's other streams, so the stream is probed and connected by the capture
    /// thread, which retries under the reconnect policy (<see cref="ReconnectOptions"/>) and counts every failed attempt.
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
        string? ffprobe = null;
        if (network.Width == 0)
        {
            ffprobe = FfmpegCommand.Resolve(FfmpegCommand.ProbeExecutableFor(ffmpeg))
                ?? throw new SourceUnavailableException(safe, $"ffprobe was not found beside {ffmpeg}; it probes the frame size (or set network.width and network.height)");
        }
        var source = new NetworkFrameSource(uri.Original, url, streamIndex, options, log, launcher, ffmpeg, ffprobe);
        log.Info($"s{streamIndex}: {safe}: {(network.Width > 0 ? $"{network.Width}x{network.Height}" : "size from the stream")} via {Path.GetFileName(ffmpeg)} " +
                 $"({network.Transport.ToString().ToLowerInvariant()}, stall timeout {network.StallTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s, " +
                 $"{(network.Reconnect.MaxAttempts == 0 ? "reconnecting forever" : $"giving up after {network.Reconnect.MaxAttempts} failed attempts")})");
        return source;
    }

    /// <summary>Sets the frame size and rate once known (the capture thread, after a successful probe).</summary>
    internal void SetSize(int width, int height, double fps)
    {
        Interlocked.Exchange(ref _fpsBits, BitConverter.DoubleToInt64Bits(fps));
        Volatile.Write(ref _height, height);
        // Width last: HasSize publishes the whole size.
        Volatile.Write(ref _width, width);
    }

    /// <summary>
    /// Connects (probing the size first when it is not configured) and captures until cancelled, MaxFrames, or the
    /// reconnect policy gives up. When the size is probed, whether a frame fits a slot is checked after the probe.
    /// </summary>
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

    /// <summary>ffprobe, when the size is probed; null when it is configured.</summary>
    internal string? Ffprobe { get; }
}
