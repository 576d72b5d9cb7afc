using System.Globalization;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// One stream's overlay outputs: its renderer, its video encoder and its stills. The camera picture comes from the
/// composed frame's BGR pixels (a live run), else from its JPEG, decoded here (a replay), else the last picture this
/// stream had (a replay whose images were recorded every N-th frame), else a dark background. The canvas takes the
/// first picture's size (even sides, for H.264); a later picture of another size is scaled to it.
/// </summary>
internal sealed class StreamOverlay : IDisposable
{
    /// <summary>Canvas width when a stream's first frame carries no picture at all (its aspect ratio is the image's).</summary>
    internal const int PictureLessWidth = 640;

    private readonly SinkStream _stream;
    private readonly CategoryTable _categories;
    private readonly OverlayOptions _options;
    private readonly string? _videoPath;
    private readonly ChildProcessLauncher _launcher;
    private readonly IPipelineLog _log;
    private OverlayRenderer? _renderer;
    private FfmpegVideoEncoder? _encoder;
    private byte[] _picture = [];
    private int _pictureWidth;
    private int _pictureHeight;

    public StreamOverlay(SinkStream stream, CategoryTable categories, OverlayOptions options, string? videoPath, ChildProcessLauncher launcher, IPipelineLog log)
    {
        _stream = stream;
        _categories = categories;
        _options = options;
        _videoPath = videoPath;
        _launcher = launcher;
        _log = log;
    }

    public long FramesDrawn { get; private set; }
    public long StillsWritten { get; private set; }
    public long VideoFrames => _encoder?.FramesWritten ?? 0;

    public void Write(ComposedFrame frame)
    {
        PanopticFrame panoptic = frame.Panoptic;
        ReadOnlySpan<byte> picture = Picture(frame, out int width, out int height);
        if (_renderer is null)
        {
            (int w, int h) = picture.IsEmpty ? PictureLessSize(panoptic) : (width & ~1, height & ~1);
            _renderer = new OverlayRenderer(_categories, _stream.Name, Math.Max(2, w), Math.Max(2, h));
        }
        if (!picture.IsEmpty && (width < _renderer.Width || height < _renderer.Height || width > _renderer.Width + 1 || height > _renderer.Height + 1))
        {
            picture = Scale(picture, width, height, _renderer.Width, _renderer.Height);
            (width, height) = (_renderer.Width, _renderer.Height);
        }
        _renderer.Render(picture, width, height, panoptic);
        FramesDrawn++;
        if (_videoPath is not null)
        {
            _encoder ??= StartEncoder(_renderer.Width, _renderer.Height);
            _encoder.Write(_renderer.Canvas);
        }
        if (_options.Stills is { } stills && panoptic.Sequence % _options.Every == 0)
        {
            WriteStill(Path.Combine(stills, string.Create(CultureInfo.InvariantCulture, $"{_stream.Name}-{panoptic.Sequence:D6}.png")));
        }
    }

    /// <summary>Closes the video (the stream ended, or the run drained).</summary>
    public void Finish() => _encoder?.Finish(TimeSpan.FromSeconds(10));

    public void Dispose() => _encoder?.Dispose();

    private ReadOnlySpan<byte> Picture(ComposedFrame frame, out int width, out int height)
    {
        if (frame.BgrWidth > 0)
        {
            (width, height) = (frame.BgrWidth, frame.BgrHeight);
            return frame.Bgr;
        }
        if (!frame.Jpeg.IsEmpty)
        {
            // A replay: the recording has the JPEG only. Decoding allocates a Mat per image (not the live path).
            using Mat decoded = Cv2.ImDecode(frame.Jpeg.Span, ImreadModes.Color);
            if (decoded.Empty())
            {
                throw new InvalidDataException($"stream {_stream.Name}, frame {frame.Panoptic.Sequence}: its camera image is not a JPEG OpenCV can decode");
            }
            Keep(decoded);
        }
        (width, height) = (_pictureWidth, _pictureHeight);
        return _picture.AsSpan(0, width * height * 3);
    }

    private unsafe void Keep(Mat decoded)
    {
        (_pictureWidth, _pictureHeight) = (decoded.Width, decoded.Height);
        int row = _pictureWidth * 3;
        if (_picture.Length < row * _pictureHeight)
        {
            _picture = new byte[row * _pictureHeight];
        }
        long step = decoded.Step();
        for (int y = 0; y < _pictureHeight; y++)
        {
            new ReadOnlySpan<byte>((byte*)decoded.Data + (y * step), row).CopyTo(_picture.AsSpan(y * row, row));
        }
    }

    private (int Width, int Height) PictureLessSize(PanopticFrame frame)
    {
        int w = frame.ImageWidth > 0 ? frame.ImageWidth : PictureLessWidth;
        int h = frame.ImageHeight > 0 ? frame.ImageHeight : PictureLessWidth * 9 / 16;
        if (w > PictureLessWidth)
        {
            h = (int)Math.Round((double)h * PictureLessWidth / w);
            w = PictureLessWidth;
        }
        return (w & ~1, h & ~1);
    }

    /// <summary>A picture of another size than the canvas (a source that changed resolution): scaled to it. Rare; allocates.</summary>
    private unsafe ReadOnlySpan<byte> Scale(ReadOnlySpan<byte> picture, int width, int height, int toWidth, int toHeight)
    {
        fixed (byte* p = picture)
        {
            using Mat source = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)p, width * 3);
            using var scaled = new Mat();
            Cv2.Resize(source, scaled, new Size(toWidth, toHeight), 0, 0, InterpolationFlags.Area);
            Keep(scaled);
        }
        return _picture.AsSpan(0, toWidth * toHeight * 3);
    }

    private FfmpegVideoEncoder StartEncoder(int width, int height)
    {
        double fps = _stream.FramesPerSecond;
        if (!(fps > 0 && double.IsFinite(fps)))
        {
            fps = 30;
            _log.Warn($"overlay {_videoPath}: stream {_stream.Name}'s frame rate is not known; the video plays at 30 frames/s");
        }
        var encoder = new FfmpegVideoEncoder(_launcher, _options.Ffmpeg, _videoPath!, width, height, fps, _options.Preset, _options.Crf);
        _log.Info(string.Create(CultureInfo.InvariantCulture, $"overlay video of {_stream.Name}: {_videoPath} ({width}x{height}, {fps:0.###} frames/s, H.264 {_options.Preset})"));
        return encoder;
    }

    private unsafe void WriteStill(string path)
    {
        fixed (byte* p = _renderer!.Canvas)
        {
            using Mat canvas = Mat.FromPixelData(_renderer.Height, _renderer.Width, MatType.CV_8UC3, (IntPtr)p, _renderer.Width * 3);
            if (!Cv2.ImWrite(path, canvas))
            {
                throw new IOException($"OpenCV could not write the overlay still {path}");
            }
        }
        StillsWritten++;
    }
}
