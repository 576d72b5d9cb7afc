using System.Diagnostics;
using System.Threading.Channels;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>
/// A video file decoded by OpenCV straight into frame slots: each slot gets a <see cref="Mat"/> header over its
/// pinned memory and the decoder's BGR conversion writes there, so a frame is converted once and never copied
/// again. Runs on its own thread because decoding blocks; the hand-off to the next stage is the only place frames
/// cross threads.
/// </summary>
internal sealed class FileFrameSource : IFrameSource
{
    // A container's frame count is a promise that truncated or damaged files break. Grab failures before it is
    // reached are retried this many times in a row before the stream is declared over.
    private const int MaxConsecutiveGrabFailures = 8;

    private const double FallbackFramesPerSecond = 25;

    private readonly IVideoReader _reader;
    private readonly SourceOptions _options;
    private readonly IPipelineLog _log;
    private readonly double _pacingFps;
    private readonly CaptureLifecycle _lifecycle = new();

    internal FileFrameSource(string uri, string path, int streamIndex, SourceOptions options, IVideoReader reader, IPipelineLog log)
    {
        Uri = uri;
        Path = path;
        StreamIndex = streamIndex;
        _options = options;
        _reader = reader;
        _log = log;
        Width = reader.Width;
        Height = reader.Height;
        FramesPerSecond = reader.FramesPerSecond;
        FrameCount = reader.FrameCount;
        Stride = FramePool.AlignedStride(Width);
        bool fpsUsable = double.IsFinite(FramesPerSecond) && FramesPerSecond is > 0 and <= 1000;
        _pacingFps = fpsUsable ? FramesPerSecond : FallbackFramesPerSecond;
        if (!fpsUsable && options.Pacing == Pacing.Realtime)
        {
            log.Warn($"s{streamIndex}: {path} reports {FramesPerSecond} fps; realtime pacing uses {FallbackFramesPerSecond} fps");
        }
    }

    public string Uri { get; }
    public string Path { get; }
    public int StreamIndex { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Row length written into slots: BGR rows padded to the pool alignment.</summary>
    public int Stride { get; }

    public double FramesPerSecond { get; }
    public long? FrameCount { get; }
    public SourceCounters Counters { get; } = new();

    /// <summary>Bytes a frame slot needs for this video.</summary>
    public int BytesPerFrame => Stride * Height;

    internal static FileFrameSource Open(SourceUri uri, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Debug.Assert(uri.Kind == SourceKind.File);
        OpenCvVideoReader reader = OpenCvVideoReader.Open(uri.Target);
        var source = new FileFrameSource(uri.Original, uri.Target, streamIndex, options, reader, log);
        log.Info($"s{streamIndex}: opened {uri.Target}: {source.Width}x{source.Height}, {source.FramesPerSecond:0.###} fps, {(source.FrameCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown")} frames, pacing {options.Pacing}{(options.Loop ? ", looping" : "")}");
        return source;
    }

    public Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
        => _lifecycle.Start(this, Uri, Path, pool, output, BytesPerFrame, Width, Height, $"capture s{StreamIndex}",
            new Run(this, pool, output).Capture, Counters, _log, $"s{StreamIndex}: capture from {Path} failed", ct);

    /// <summary>Stops a running capture (as cancellation would), waits for its thread, and closes the file.</summary>
    public void Dispose()
    {
        if (_lifecycle.Stop())
        {
            _reader.Dispose();
        }
    }

    /// <summary>The state of one <see cref="RunAsync"/> call, owned by the capture thread.</summary>
    private sealed class Run
    {
        private readonly FileFrameSource _source;
        private readonly FramePool _pool;
        private readonly ChannelWriter<FrameLease> _output;

        public Run(FileFrameSource source, FramePool pool, ChannelWriter<FrameLease> output)
        {
            _source = source;
            _pool = pool;
            _output = output;
        }

        /// <summary>The capture loop. True when the stream ended (end of file, MaxFrames, closed channel); false when cancelled.</summary>
        public bool Capture(CancellationToken ct)
        {
            FileFrameSource source = _source;
            IVideoReader reader = source._reader;
            SourceCounters counters = source.Counters;
            Pacing pacing = source._options.Pacing;
            long maxFrames = source._options.MaxFrames;
            long firstFrame = source._options.FirstFrame;
            bool loop = source._options.Loop;
            RealtimePacer? pacer = pacing == Pacing.Realtime ? new RealtimePacer(source._pacingFps) : null;
            var writer = new BlockingFrameWriter(_output, ct);
            using var headers = new SlotMatHeaders(_pool.SlotCount);
            long sequence = 0;
            long framesThisPass = 0;
            int grabFailures = 0;
            bool warnedCopy = false;
            bool warnedShort = false;

            while (!ct.IsCancellationRequested)
            {
                Debug.Assert(sequence == counters.FramesRead, "every sequence number is a frame read");
                if (maxFrames > 0 && sequence >= maxFrames)
                {
                    return true;
                }

                if (!reader.Grab())
                {
                    grabFailures++;
                    if (source.FrameCount is long expected && framesThisPass + grabFailures <= expected && grabFailures <= MaxConsecutiveGrabFailures)
                    {
                        continue;
                    }
                    if (source.FrameCount is long promised && framesThisPass < promised && !warnedShort)
                    {
                        warnedShort = true;
                        source._log.Warn($"s{source.StreamIndex}: {source.Path} ended after {framesThisPass} of the {promised} frames its container announces (truncated or undecodable)");
                    }
                    grabFailures = 0;
                    if (loop && framesThisPass > 0)
                    {
                        if (!reader.Rewind())
                        {
                            throw new SourceUnavailableException(source.Path, "could not go back to the first frame to loop");
                        }
                        framesThisPass = 0;
                        continue;
                    }
                    return true;
                }
                if (grabFailures > 0)
                {
                    // Frames that failed to decode in the middle of the stream: skipped, counted, and left as a
                    // gap in the sequence numbers.
                    counters.AddCorrupt(grabFailures);
                    counters.AddRead(grabFailures);
                    sequence += grabFailures;
                    framesThisPass += grabFailures;
                    grabFailures = 0;
                }
                long frameSequence = sequence++;
                framesThisPass++;
                if (frameSequence < firstFrame)
                {
                    counters.AddSkipped();
                    continue; // before the segment: grabbed (to keep the count exact) but never converted
                }
                counters.AddRead();

                // Wait before renting: whether a frame finds a slot is decided at its due time, as for a camera,
                // and no slot sits idle through the wait.
                if (pacer is not null && !pacer.WaitUntilDue(frameSequence, ct))
                {
                    return false;
                }

                switch (SlotWait.RentForFrame(_pool, pacing, counters, ct, out FrameLease lease))
                {
                    case SlotRent.Dropped:
                        continue; // grabbed but never converted: the cheapest way past a frame nobody has room for
                    case SlotRent.Stopped:
                        return false;
                }

                bool handedOver = false;
                try
                {
                    if (!Decode(reader, headers, lease, ref warnedCopy))
                    {
                        counters.AddCorrupt();
                        continue;
                    }
                    lease.Metadata = new FrameMetadata(
                        source.StreamIndex, frameSequence, MonotonicClock.UtcNowNs(), MonotonicClock.NowNs(), lease.Width, lease.Height)
                    {
                        // The frame's time in the file: its number at the container's nominal rate (exact for
                        // constant-rate video; a variable-rate file's stamps are approximate).
                        MediaNs = (long)Math.Round(frameSequence * 1e9 / source._pacingFps),
                    };
                    if (!writer.Write(lease))
                    {
                        if (writer.ChannelClosed)
                        {
                            source._log.Warn($"s{source.StreamIndex}: the output channel was completed by someone else; capture from {source.Path} stops");
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


        /// <summary>Converts the grabbed frame into the lease's slot. False when the frame cannot be decoded.</summary>
        private unsafe bool Decode(IVideoReader reader, SlotMatHeaders headers, FrameLease lease, ref bool warnedCopy)
        {
            FileFrameSource source = _source;
            lease.SetFormat(source.Width, source.Height, source.Stride);
            Mat mat = headers.For(lease);
            if (!reader.Retrieve(mat))
            {
                headers.Forget(lease.SlotIndex);
                return false;
            }
            if (mat.Data == lease.Pointer)
            {
                return true;
            }

            // OpenCV allocated its own buffer: the decoded frame's size or type differed from the header's
            // (a resolution change mid-stream). Copy it into the slot once if it fits, else skip it.
            int rows = mat.Rows;
            int cols = mat.Cols;
            bool fits = mat.Type() == MatType.CV_8UC3 && (long)FramePool.AlignedStride(cols) * rows <= lease.CapacityBytes;
            if (!warnedCopy)
            {
                warnedCopy = true;
                source._log.Warn($"s{source.StreamIndex}: {source.Path} decoded a {cols}x{rows} {mat.Type()} frame where {source.Width}x{source.Height} BGR was expected; such frames are {(fits ? "copied into their slot" : "skipped: they do not fit a slot")}");
            }
            if (fits)
            {
                int stride = FramePool.AlignedStride(cols);
                lease.SetFormat(cols, rows, stride);
                byte* from = (byte*)mat.Data;
                long fromStep = mat.Step();
                byte* to = (byte*)lease.Pointer;
                int rowBytes = cols * 3;
                for (int y = 0; y < rows; y++)
                {
                    Buffer.MemoryCopy(from + (y * fromStep), to + ((long)y * stride), rowBytes, rowBytes);
                }
                source.Counters.AddCopied();
            }
            headers.Forget(lease.SlotIndex);
            return fits;
        }
    }
}
