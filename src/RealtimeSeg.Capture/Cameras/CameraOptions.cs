using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Cameras;

/// <summary>
/// What to ask a V4L2 camera for (the <c>camera:</c> section of a source). The driver may grant something else;
/// the source logs what it got and uses that.
/// </summary>
public sealed record CameraOptions
{
    /// <summary>Requested frame width; 0 (default) keeps the driver's current mode.</summary>
    public int Width { get; init; }

    /// <summary>Requested frame height; 0 (default) keeps the driver's current mode.</summary>
    public int Height { get; init; }

    /// <summary>Requested frame rate; 0 (default) keeps the driver's.</summary>
    public double Fps { get; init; }

    /// <summary>Requested pixel format as a four-character code, e.g. <c>MJPG</c> (what USB 3 cameras need for high resolutions at full rate) or <c>YUYV</c>; empty (default) keeps the driver's.</summary>
    public string Fourcc { get; init; } = "";

    /// <summary>Throws <see cref="ConfigurationException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (Width < 0 || Height < 0 || (Width == 0) != (Height == 0) || Width > 16384 || Height > 16384)
        {
            throw new ConfigurationException($"source options 'camera.width'/'camera.height' are {Width}x{Height}; give both (1…16384) or neither (the driver's mode)");
        }
        if (!double.IsFinite(Fps) || Fps < 0 || Fps > 1000)
        {
            throw new ConfigurationException($"source option 'camera.fps' is {Fps}; expected 0 (the driver's) or a rate up to 1000");
        }
        if (Fourcc is null || (Fourcc.Length != 0 && (Fourcc.Length != 4 || !IsPrintableAscii(Fourcc))))
        {
            throw new ConfigurationException($"source option 'camera.fourcc' is '{Fourcc}'; expected four characters such as MJPG or YUYV, or empty");
        }
    }

    private static bool IsPrintableAscii(string text)
    {
        foreach (char c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }
        return true;
    }
}
