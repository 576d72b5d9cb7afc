using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// <c>--overlay FILE.mp4</c> / <c>--overlay-png DIR</c>: every frame drawn over its camera picture
/// (<see cref="OverlayRenderer"/>) into an H.264 MP4 per stream and/or PNG stills. Drawing, encoding and PNG writing run
/// on this sink's own thread behind its own queue: in realtime a slow encoder loses video frames (counted as this sink's
/// drops, and shown as "dropped" on the video), never the pipeline's; in lockstep the pipeline waits for it, so the
/// video holds one frame per processed frame.
/// </summary>
public sealed class OverlaySink : ThreadedFrameSink
{
    private readonly OverlayOptions _options;
    private readonly IPipelineLog _log;
    private StreamOverlay?[] _streams = [];
    private SinkContext? _context;
    private ChildProcessLauncher? _launcher;

    public OverlaySink(OverlayOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        if (!options.Enabled)
        {
            throw new ConfigurationException("overlay: neither video (--overlay) nor stills (--overlay-png) is set");
        }
        _options = options;
        _log = log;
    }

    public override string Name => "overlay";

    /// <summary>A quarter second at 30 frames/s: rides out an encoder hiccup without holding many pictures.</summary>
    public override int QueueCapacity => 8;

    /// <summary>Video frames written, all streams.</summary>
    public long VideoFrames => Sum(static s => s.VideoFrames);

    /// <summary>Stills written, all streams.</summary>
    public long StillsWritten => Sum(static s => s.StillsWritten);

    public override Task StartAsync(SinkContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_options.Video is { } video)
        {
            FfmpegCheck.RequireLibx264(_options.Ffmpeg);
            CreateFolder(Path.GetDirectoryName(Path.GetFullPath(video)), video);
        }
        if (_options.Stills is { } stills)
        {
            CreateFolder(stills, stills);
        }
        _context = context;
        _streams = new StreamOverlay?[context.Streams.Count];
        _launcher = ChildProcessLauncher.Detect();
        return Task.CompletedTask;
    }

    protected override void Write(ComposedFrame frame)
    {
        int index = frame.StreamIndex;
        if ((uint)index >= (uint)_streams.Length)
        {
            throw new InvalidOperationException($"overlay: frame of stream index {index}, but the run has {_streams.Length} streams");
        }
        StreamOverlay overlay = _streams[index] ??= Create(_context!.Streams[index]);
        overlay.Write(frame);
    }

    protected override void OnEndOfStream(ComposedFrame end)
    {
        int index = end.StreamIndex;
        if ((uint)index < (uint)_streams.Length)
        {
            _streams[index]?.Finish();
        }
    }

    protected override void Complete()
    {
        foreach (StreamOverlay? s in _streams)
        {
            s?.Finish();
        }
    }

    public override ValueTask DisposeAsync()
    {
        foreach (StreamOverlay? s in _streams)
        {
            s?.Dispose();
        }
        return base.DisposeAsync();
    }

    private long Sum(Func<StreamOverlay, long> count)
    {
        long n = 0;
        foreach (StreamOverlay? s in _streams)
        {
            n += s is null ? 0 : count(s);
        }
        return n;
    }

    private StreamOverlay Create(SinkStream stream)
    {
        string? video = _options.Video is null ? null : Path.GetFullPath(_options.VideoFileFor(stream.Name, _context!.Streams.Count));
        return new StreamOverlay(stream, _context!.Categories, _options, video, _launcher!, _log);
    }

    private static void CreateFolder(string? folder, string forPath)
    {
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceUnavailableException(forPath, "cannot create the overlay's folder: " + e.Message, e);
        }
    }
}
