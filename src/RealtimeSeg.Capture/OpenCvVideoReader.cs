using OpenCvSharp;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture;

/// <summary>A video file decoded by OpenCV's bundled FFmpeg backend.</summary>
internal sealed class OpenCvVideoReader : IVideoReader
{
    private readonly string _path;
    private readonly VideoCapture _capture;

    // Open() decodes the first frame to prove the file is usable; the first Grab() hands that frame out instead of
    // decoding another, so probing costs no seek.
    private bool _probedFrameWaiting;

    private OpenCvVideoReader(string path, VideoCapture capture)
    {
        _path = path;
        _capture = capture;
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
        FramesPerSecond = capture.Fps;
        int count = capture.FrameCount;
        FrameCount = count > 0 ? count : null;
    }

    public int Width { get; }
    public int Height { get; }
    public double FramesPerSecond { get; }
    public long? FrameCount { get; }

    /// <summary>Opens <paramref name="path"/> and decodes its first frame; throws <see cref="SourceUnavailableException"/> naming the path and the reason.</summary>
    public static OpenCvVideoReader Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new SourceUnavailableException(path, "it is a directory, not a video file (an image sequence is opened with images:DIR)");
        }
        if (!File.Exists(path))
        {
            throw new SourceUnavailableException(path, "file not found");
        }
        try
        {
            // OpenCV reports an unreadable file the same way as a non-video one; ask the file system first for a precise reason.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourceUnavailableException(path, $"the file cannot be read ({ex.Message})", ex);
        }

        VideoCapture capture;
        try
        {
            capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        }
        catch (OpenCVException ex)
        {
            throw new SourceUnavailableException(path, $"OpenCV failed to open it: {ex.Message}", ex);
        }
        try
        {
            if (!capture.IsOpened())
            {
                throw new SourceUnavailableException(path, "OpenCV's FFmpeg backend cannot open it as a video (not a video file, or a container it does not know)");
            }
            if (capture.FrameWidth <= 0 || capture.FrameHeight <= 0)
            {
                throw new SourceUnavailableException(path, $"the video reports no frame size ({capture.FrameWidth}x{capture.FrameHeight})");
            }
            if (!capture.Grab())
            {
                throw new SourceUnavailableException(path, "no frame could be decoded (an empty video, or a codec the bundled FFmpeg lacks)");
            }
            return new OpenCvVideoReader(path, capture) { _probedFrameWaiting = true };
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    public bool Grab()
    {
        if (_probedFrameWaiting)
        {
            _probedFrameWaiting = false;
            return true;
        }
        return _capture.Grab();
    }

    public bool Retrieve(Mat destination) => _capture.Retrieve(destination);

    public bool Rewind()
    {
        _probedFrameWaiting = false;
        if (_capture.Set(VideoCaptureProperties.PosFrames, 0))
        {
            return true;
        }
        // Some containers refuse to seek; reopening reads from the start just as well.
        return _capture.Open(_path, VideoCaptureAPIs.FFMPEG) && _capture.IsOpened();
    }

    public void Dispose() => _capture.Dispose();
}
