using System.Globalization;
using OpenCvSharp;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Cameras;

/// <summary>
/// A V4L2 camera through OpenCV's V4L2 backend, as an <see cref="IVideoReader"/> so the file source's capture loop
/// (decode straight into slot Mats, drop on no slot) serves cameras too. The requested mode is set before the first
/// frame and what the driver granted is read back.
/// </summary>
internal sealed class CameraVideoReader : IVideoReader
{
    private readonly VideoCapture _capture;
    private bool _probedFrameWaiting;

    private CameraVideoReader(VideoCapture capture, string device)
    {
        _capture = capture;
        Device = device;
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
        FramesPerSecond = capture.Fps;
        Fourcc = FourccText((int)capture.Get(VideoCaptureProperties.FourCC));
    }

    public string Device { get; }
    public int Width { get; }
    public int Height { get; }
    public double FramesPerSecond { get; }
    public string Fourcc { get; }
    public long? FrameCount => null;

    /// <summary>The device node of <c>camera:N</c> or <c>/dev/videoN</c>; throws <see cref="ConfigurationException"/> for anything else.</summary>
    public static string DevicePath(SourceUri uri)
    {
        string target = uri.Target.Trim();
        if (target.StartsWith("/dev/video", StringComparison.Ordinal))
        {
            if (!int.TryParse(target.AsSpan("/dev/video".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new ConfigurationException($"source URI '{uri.Original}' is not a camera device; expected /dev/videoN");
            }
            return target;
        }
        if (!int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw new ConfigurationException($"source URI '{uri.Original}' has no camera number; expected camera:N (N = 0, 1, …) or /dev/videoN");
        }
        return "/dev/video" + index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Opens the camera with the requested mode and grabs one frame; throws <see cref="SourceUnavailableException"/> naming the device and why.</summary>
    public static CameraVideoReader Open(string uri, string device, CameraOptions requested)
    {
        if (!File.Exists(device))
        {
            int found = CameraDevices.Enumerate().Count;
            throw new SourceUnavailableException(uri, $"no camera at {device} ({(found == 0 ? "no video devices exist on this machine" : $"{found} other video device(s) exist")}; 'realtimeseg devices' lists them)");
        }
        VideoCapture capture;
        try
        {
            capture = new VideoCapture(device, VideoCaptureAPIs.V4L2);
        }
        catch (OpenCVException ex)
        {
            throw new SourceUnavailableException(uri, $"OpenCV's V4L2 backend failed on {device}: {ex.Message}", ex);
        }
        try
        {
            if (!capture.IsOpened())
            {
                throw new SourceUnavailableException(uri, $"{device} cannot be opened as a V4L2 capture device (busy, no permission — is the user in the 'video' group? — or not a camera)");
            }
            if (requested.Fourcc.Length == 4)
            {
                capture.Set(VideoCaptureProperties.FourCC, VideoWriter.FourCC(requested.Fourcc[0], requested.Fourcc[1], requested.Fourcc[2], requested.Fourcc[3]));
            }
            if (requested.Width > 0)
            {
                capture.Set(VideoCaptureProperties.FrameWidth, requested.Width);
                capture.Set(VideoCaptureProperties.FrameHeight, requested.Height);
            }
            if (requested.Fps > 0)
            {
                capture.Set(VideoCaptureProperties.Fps, requested.Fps);
            }
            // A driver queue of one frame: the newest frame, not one that waited behind others.
            capture.Set(VideoCaptureProperties.BufferSize, 1);
            if (!capture.Grab())
            {
                throw new SourceUnavailableException(uri, $"{device} opened but delivered no frame");
            }
            return new CameraVideoReader(capture, device) { _probedFrameWaiting = true };
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    /// <summary>Differences between the requested mode and the granted one, or null when it was granted (or nothing was asked).</summary>
    public string? Mismatch(CameraOptions requested)
    {
        var parts = new List<string>();
        if (requested.Width > 0 && (requested.Width != Width || requested.Height != Height))
        {
            parts.Add($"{requested.Width}x{requested.Height} requested, {Width}x{Height} granted");
        }
        if (requested.Fps > 0 && Math.Abs(requested.Fps - FramesPerSecond) > 0.5)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{requested.Fps:0.##} fps requested, {FramesPerSecond:0.##} granted"));
        }
        if (requested.Fourcc.Length == 4 && !string.Equals(requested.Fourcc, Fourcc, StringComparison.OrdinalIgnoreCase))
        {
            parts.Add($"{requested.Fourcc} requested, {Fourcc} granted");
        }
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    internal static string FourccText(int code)
    {
        if (code <= 0)
        {
            return "?";
        }
        Span<char> c = [(char)(code & 0xFF), (char)((code >> 8) & 0xFF), (char)((code >> 16) & 0xFF), (char)((code >> 24) & 0xFF)];
        return new string(c);
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

    /// <summary>A camera has no beginning to go back to.</summary>
    public bool Rewind() => false;

    public void Dispose() => _capture.Dispose();
}
