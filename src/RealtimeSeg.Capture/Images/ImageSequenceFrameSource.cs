using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture.Images;

/// <summary>
/// <c>images:DIR</c>: the PNG/JPEG files of a folder in natural order (<c>2.png</c> before <c>10.png</c>), one frame each,
/// all of the first image's size. With a timestamps file, realtime pacing follows the recorded times and each frame's
/// source time is available through <see cref="TryGetSourceTimestampNs"/>; without one, frames come at
/// <see cref="ImageSequenceOptions.Fps"/>. An image that does not decode, or has another size, is skipped, counted as
/// corrupt and logged once by name. OpenCV has no decode-into-a-buffer call, so each image is decoded into its own
/// Mat and copied into the slot once.
/// </summary>
internal sealed class ImageSequenceFrameSource : IFrameSource, ISourceTimestamps
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    private readonly string[] _files;
    private readonly long[]? _timestampsNs;
    private readonly SourceOptions _options;
    private readonly IPipelineLog _log;
    private readonly CaptureLifecycle _lifecycle = new();

    private ImageSequenceFrameSource(string uri, string directory, string[] files, long[]? timestampsNs, int width, int height, double fps,
        int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Uri = uri;
        Directory = directory;
        _files = files;
        _timestampsNs = timestampsNs;
        Width = width;
        Height = height;
        Stride = FramePool.AlignedStride(width);
        FramesPerSecond = fps;
        StreamIndex = streamIndex;
        _options = options;
        _log = log;
    }

    public string Uri { get; }
    public string Directory { get; }
    public int StreamIndex { get; }
    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }
    public double FramesPerSecond { get; }
    public long? FrameCount => _files.Length;
    public SourceCounters Counters { get; } = new();

    /// <summary>The image files, in the order they are read.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>True when a timestamps file gives each image its recorded time.</summary>
    public bool HasTimestamps => _timestampsNs is not null;

    /// <summary>
    /// The recorded time (ns, as in the timestamps file) of the frame with sequence number <paramref name="sequence"/>;
    /// false without a timestamps file. With looping, each pass is shifted by the sequence's length plus one frame period.
    /// </summary>
    public bool TryGetSourceTimestampNs(long sequence, out long timestampNs)
    {
        long[]? times = _timestampsNs;
        if (times is null || sequence < 0)
        {
            timestampNs = 0;
            return false;
        }
        long pass = sequence / times.Length;
        int index = (int)(sequence % times.Length);
        timestampNs = times[index] + (pass * PassDurationNs(times));
        return true;
    }

    internal static ImageSequenceFrameSource Open(SourceUri uri, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Debug.Assert(uri.Kind == SourceKind.Images);
        string directory = uri.Target;
        if (directory.Length == 0)
        {
            throw new ConfigurationException($"source URI '{uri.Original}' names no folder; expected images:DIR");
        }
        if (!System.IO.Directory.Exists(directory))
        {
            throw new SourceUnavailableException(uri.Original, File.Exists(directory) ? $"'{directory}' is a file, not a folder of images" : $"folder '{directory}' not found");
        }
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(directory).Where(IsImage).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourceUnavailableException(uri.Original, $"folder '{directory}' cannot be listed ({ex.Message})", ex);
        }
        if (files.Length == 0)
        {
            throw new SourceUnavailableException(uri.Original, $"folder '{directory}' holds no .png, .jpg or .jpeg files");
        }
        Array.Sort(files, (a, b) => NaturalStringComparer.Instance.Compare(Path.GetFileName(a), Path.GetFileName(b)));

        long[]? times = null;
        string? timesPath = options.Images.Timestamps is { } configured
            ? (Path.IsPathRooted(configured) ? configured : Path.GetFullPath(configured))
            : DefaultTimestamps(directory);
        if (timesPath is not null)
        {
            times = TimestampsFile.Read(timesPath);
            if (times.Length != files.Length)
            {
                throw new ConfigurationException($"timestamps file '{timesPath}' has {times.Length} lines but '{directory}' holds {files.Length} images; they must match one to one");
            }
        }

        (int width, int height, string first) = FirstReadable(files, uri.Original);
        double fps = options.Images.Fps;
        if (times is { Length: > 1 } && times[^1] > times[0])
        {
            fps = (times.Length - 1) * 1e9 / (times[^1] - times[0]);
        }
        var source = new ImageSequenceFrameSource(uri.Original, directory, files, times, width, height, fps, streamIndex, options, log);
        log.Info(string.Create(CultureInfo.InvariantCulture,
            $"s{streamIndex}: opened {directory}: {files.Length} images from {Path.GetFileName(first)}, {width}x{height}, {fps:0.###} fps{(times is null ? "" : " from " + timesPath)}, pacing {options.Pacing}{(options.Loop ? ", looping" : "")}"));
        return source;
    }

    private static string? DefaultTimestamps(string directory)
    {
        foreach (string name in (ReadOnlySpan<string>)["times.txt", "timestamps.txt"])
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsImage(string path)
    {
        string ext = Path.GetExtension(path);
        foreach (string e in Extensions)
        {
            if (string.Equals(ext, e, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The size of the first image that decodes (the sequence's size); unreadable leading images are left to the run to skip and count.</summary>
    private static (int Width, int Height, string File) FirstReadable(string[] files, string uri)
    {
        foreach (string file in files)
        {
            using Mat probe = Cv2.ImRead(file, ImreadModes.Color);
            if (!probe.Empty())
            {
                return (probe.Cols, probe.Rows, file);
            }
        }
        throw new SourceUnavailableException(uri, $"none of its {files.Length} image files can be decoded");
    }

    private static long PassDurationNs(long[] times)
        => times.Length < 2 ? 100_000_000 : (times[^1] - times[0]) + ((times[^1] - times[0]) / (times.Length - 1));

    public Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
        => _lifecycle.Start(this, Uri, Directory, pool, output, Stride * Height, Width, Height, $"capture s{StreamIndex}",
            ct2 => Capture(pool, output, ct2), Counters, _log, $"s{StreamIndex}: capture from {Directory} failed", ct);

    public void Dispose()
    {
        _lifecycle.Stop();
    }

    /// <summary>The capture loop. True at the end of the sequence, MaxFrames or a closed channel; false when cancelled.</summary>
    private bool Capture(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
    {
        Pacing pacing = _options.Pacing;
        long maxFrames = _options.MaxFrames;
        var writer = new BlockingFrameWriter(output, ct);
        SourceCounters counters = Counters;
        long originNs = long.MinValue;
        long periodNs = (long)Math.Round(1e9 / FramesPerSecond);
        for (long sequence = 0; !ct.IsCancellationRequested; sequence++)
        {
            if (maxFrames > 0 && sequence >= maxFrames)
            {
                return true;
            }
            int index = (int)(sequence % _files.Length);
            if (sequence >= _files.Length && !_options.Loop)
            {
                return true;
            }
            if (sequence < _options.FirstFrame)
            {
                counters.AddSkipped();
                continue; // before the segment: never decoded
            }
            counters.AddRead();
            long dueNs = long.MaxValue;
            if (pacing == Pacing.Realtime)
            {
                long offset = TryGetSourceTimestampNs(sequence, out long t) ? t - _timestampsNs![0] : sequence * periodNs;
                if (originNs == long.MinValue)
                {
                    originNs = MonotonicClock.NowNs() - offset;
                }
                dueNs = originNs + offset;
                if (!WaitUntil(dueNs, ct))
                {
                    return false;
                }
            }

            switch (SlotWait.RentForFrame(pool, pacing, counters, ct, out FrameLease lease))
            {
                case SlotRent.Dropped:
                    continue; // never decoded
                case SlotRent.Stopped:
                    return false;
            }
            // Stamped before the file is decoded (decode time counts as latency). In realtime pacing the stamp is the
            // frame's due time, as a camera's clock would give it: a late wake-up or a slow first rent and decode then
            // count as latency too, and cannot skew the spacing of the stamps away from the recorded times.
            long capturedNs = MonotonicClock.NowNs();
            long capturedUtcNs = MonotonicClock.UtcNowNs();
            if (dueNs < capturedNs)
            {
                capturedUtcNs -= capturedNs - dueNs;
                capturedNs = dueNs;
            }
            bool handedOver = false;
            try
            {
                if (!Decode(_files[index], lease))
                {
                    counters.AddCorrupt();
                    continue;
                }
                lease.Metadata = new FrameMetadata(StreamIndex, sequence, capturedUtcNs, capturedNs, Width, Height)
                {
                    // The recorded time relative to the first image, or the image's number at the nominal rate.
                    MediaNs = TryGetSourceTimestampNs(sequence, out long recorded) ? recorded - _timestampsNs![0] : sequence * periodNs,
                };
                if (!writer.Write(lease))
                {
                    return writer.ChannelClosed;
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

    private unsafe bool Decode(string file, FrameLease lease)
    {
        using Mat image = Cv2.ImRead(file, ImreadModes.Color);
        if (image.Empty() || image.Cols != Width || image.Rows != Height || image.Type() != MatType.CV_8UC3)
        {
            string why = image.Empty() ? "it does not decode as an image" : $"it is {image.Cols}x{image.Rows}, the sequence is {Width}x{Height}";
            _log.Warn($"s{StreamIndex}: skipped {file}: {why} (counted as corrupt)");
            return false;
        }
        lease.SetFormat(Width, Height, Stride);
        byte* from = (byte*)image.Data;
        long step = image.Step();
        byte* to = (byte*)lease.Pointer;
        int rowBytes = Width * 3;
        for (int y = 0; y < Height; y++)
        {
            Buffer.MemoryCopy(from + (y * step), to + ((long)y * Stride), rowBytes, rowBytes);
        }
        return true;
    }

    private static bool WaitUntil(long dueNs, CancellationToken ct)
    {
        long now = MonotonicClock.NowNs();
        while (now < dueNs)
        {
            int waitMs = (int)Math.Min(int.MaxValue, (dueNs - now + 999_999) / 1_000_000);
            if (ct.WaitHandle.WaitOne(waitMs))
            {
                return false;
            }
            now = MonotonicClock.NowNs();
        }
        return !ct.IsCancellationRequested;
    }
}
