using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Capture.Synthetic;

/// <summary>
/// The synthetic drive as a frame source (<c>synthetic:drive?seed=S&amp;size=WxH&amp;fps=F&amp;density=D</c>): frame
/// N (sequence number N) is rendered straight into its frame slot, on the source's own thread, with the same
/// contract as a file source — pacing, <see cref="SourceOptions.MaxFrames"/>, drop-when-no-slot, completion. It never
/// ends by itself (<see cref="FrameCount"/> is null); <see cref="SourceOptions.Loop"/> changes nothing.
/// <para>Ground truth: <see cref="GetGroundTruth"/> gives the truth of any sequence number, at any time, for as long
/// as the source lives: frame N is a pure function of the options and N, so the truth is re-rendered (ids only, about
/// as costly as one frame) rather than kept. Frames dropped for want of a slot still advance the scene, so sequence
/// numbers and scene time always agree.</para>
/// </summary>
public sealed class SyntheticFrameSource : IFrameSource
{
    private readonly SourceOptions _options;
    private readonly IPipelineLog _log;
    private readonly SyntheticDriveScene _scene;
    private readonly Lock _truthLock = new();
    private readonly CaptureLifecycle _lifecycle = new();
    private SyntheticDriveScene? _truthScene;
    private bool _disposed;

    private SyntheticFrameSource(string uri, SyntheticDriveOptions scene, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Uri = uri;
        Scene = scene;
        StreamIndex = streamIndex;
        _options = options;
        _log = log;
        _scene = new SyntheticDriveScene(scene);
        Stride = FramePool.AlignedStride(scene.Width);
    }

    public string Uri { get; }

    /// <summary>What the source renders.</summary>
    public SyntheticDriveOptions Scene { get; }

    public int StreamIndex { get; }
    public int Width => Scene.Width;
    public int Height => Scene.Height;
    public double FramesPerSecond => Scene.FramesPerSecond;

    /// <summary>Always null: the drive goes on until <see cref="SourceOptions.MaxFrames"/> or cancellation.</summary>
    public long? FrameCount => null;

    public SourceCounters Counters { get; } = new();

    /// <summary>Row length written into slots: BGR rows padded to the pool alignment.</summary>
    public int Stride { get; }

    /// <summary>Bytes a frame slot needs for this scene.</summary>
    public int BytesPerFrame => Stride * Height;

    /// <summary>The categories of the ground truth.</summary>
    public static CategoryTable Categories => SyntheticCategories.Table;

    /// <summary>Opens the scene <paramref name="scene"/> as stream <paramref name="streamIndex"/>.</summary>
    /// <exception cref="ConfigurationException">A scene or source option is invalid.</exception>
    public static SyntheticFrameSource Open(SyntheticDriveOptions scene, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfNegative(streamIndex);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        scene.Validate();
        return OpenCore(scene.ToUri(), scene, streamIndex, options, log);
    }

    internal static SyntheticFrameSource Open(SourceUri uri, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Debug.Assert(uri.Kind == SourceKind.Synthetic);
        SyntheticDriveOptions scene = SyntheticDriveOptions.ParseTarget(uri.Target, uri.Original);
        return OpenCore(uri.Original, scene, streamIndex, options, log);
    }

    private static SyntheticFrameSource OpenCore(string uri, SyntheticDriveOptions scene, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        var source = new SyntheticFrameSource(uri, scene, streamIndex, options, log);
        log.Info(string.Create(CultureInfo.InvariantCulture,
            $"s{streamIndex}: synthetic drive seed {scene.Seed}, {scene.Width}x{scene.Height}, {scene.FramesPerSecond:0.###} fps, density {scene.Density:0.###}, pacing {options.Pacing}"));
        return source;
    }

    /// <summary>
    /// Renders the ground truth of the frame with sequence number <paramref name="sequence"/> into
    /// <paramref name="destination"/> (sized <see cref="Width"/> × <see cref="Height"/>, e.g. from
    /// <see cref="CreateGroundTruth"/>). Any sequence number, past, current or future; thread-safe (calls are
    /// serialised); cheapest for increasing numbers. Independent of the capture thread.
    /// </summary>
    public void GetGroundTruth(long sequence, SyntheticGroundTruth destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentNullException.ThrowIfNull(destination);
        lock (_truthLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _truthScene ??= new SyntheticDriveScene(Scene);
            _truthScene.RenderGroundTruth(sequence, destination);
        }
    }

    /// <summary>Ground-truth buffers sized for this source, to reuse across calls.</summary>
    public SyntheticGroundTruth CreateGroundTruth() => new(Width, Height);

    public Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
        => _lifecycle.Start(this, Uri, $"'{Uri}'", pool, output, BytesPerFrame, Width, Height, $"synthetic s{StreamIndex}",
            new Run(this, pool, output).Capture, Counters, _log, $"s{StreamIndex}: synthetic capture from '{Uri}' failed", ct);

    /// <summary>Stops a running capture (as cancellation would), waits for its thread, and releases the scenes.</summary>
    public void Dispose()
    {
        if (!_lifecycle.Stop())
        {
            return;
        }
        lock (_truthLock)
        {
            _disposed = true; // ground-truth calls check it under the lock
            _truthScene?.Dispose();
        }
        _scene.Dispose();
    }

    /// <summary>The state of one <see cref="RunAsync"/> call, owned by the capture thread.</summary>
    private sealed class Run
    {
        private readonly SyntheticFrameSource _source;
        private readonly FramePool _pool;
        private readonly ChannelWriter<FrameLease> _output;

        public Run(SyntheticFrameSource source, FramePool pool, ChannelWriter<FrameLease> output)
        {
            _source = source;
            _pool = pool;
            _output = output;
        }

        /// <summary>The render loop. True when the stream ended (MaxFrames, closed channel); false when cancelled.</summary>
        public bool Capture(CancellationToken ct)
        {
            SyntheticFrameSource source = _source;
            SyntheticDriveScene scene = source._scene;
            SourceCounters counters = source.Counters;
            Pacing pacing = source._options.Pacing;
            long maxFrames = source._options.MaxFrames;
            long firstFrame = source._options.FirstFrame;
            RealtimePacer? pacer = pacing == Pacing.Realtime ? new RealtimePacer(source.FramesPerSecond) : null;
            var writer = new BlockingFrameWriter(_output, ct);
            long sequence = 0;

            while (!ct.IsCancellationRequested)
            {
                Debug.Assert(sequence == counters.FramesRead, "every sequence number is a frame produced");
                if (maxFrames > 0 && sequence >= maxFrames)
                {
                    return true;
                }
                long frameSequence = sequence++;
                if (frameSequence < firstFrame)
                {
                    counters.AddSkipped();
                    continue; // before the segment: frame N is a function of N, the scene simulates up to it when drawn
                }
                // Counted once due: a stop that comes while waiting for a frame's time caught no frame.
                if (pacer is not null && !pacer.WaitUntilDue(frameSequence, ct))
                {
                    return false;
                }
                counters.AddRead();

                switch (SlotWait.RentForFrame(_pool, pacing, counters, ct, out FrameLease lease))
                {
                    case SlotRent.Dropped:
                        continue; // not rendered: the scene catches up by simulation alone when the next frame is drawn
                    case SlotRent.Stopped:
                        return false;
                }

                bool handedOver = false;
                try
                {
                    lease.SetFormat(source.Width, source.Height, source.Stride);
                    scene.Render(frameSequence, lease.Pointer, source.Stride, groundTruth: null);
                    lease.Metadata = new FrameMetadata(
                        source.StreamIndex, frameSequence, MonotonicClock.UtcNowNs(), MonotonicClock.NowNs(), source.Width, source.Height)
                    {
                        // Frame N shows the scene at N / fps: that is its media time, exactly.
                        MediaNs = (long)Math.Round(frameSequence * 1e9 / source.FramesPerSecond),
                    };
                    if (!writer.Write(lease))
                    {
                        if (writer.ChannelClosed)
                        {
                            source._log.Warn($"s{source.StreamIndex}: the output channel was completed by someone else; synthetic capture stops");
                            return true;
                        }
                        return false;
                    }
                    handedOver = true;
                    counters.AddCaptured();
                }
                finally
                {
                    if (!handedOver)
                    {
                        lease.Dispose();
                    }
                }
            }
            return false;
        }

    }
}
