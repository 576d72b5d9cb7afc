using OpenCvSharp;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Diagnostics;

/// <summary>One BGR frame read from a video (by index) or an image file, for <c>models run</c> and reference dumps.</summary>
public sealed class StillFrame : IDisposable
{
    private readonly Mat _mat;

    private StillFrame(Mat mat) => _mat = mat;

    /// <summary>Frame <paramref name="index"/> (0-based) of a video, or the image itself for .png/.jpg/.bmp files.</summary>
    public static StillFrame Read(string path, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (!File.Exists(path))
        {
            throw new SourceUnavailableException(path, "file not found");
        }
        string ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".png" or ".jpg" or ".jpeg" or ".bmp")
        {
            Mat image = Cv2.ImRead(path, ImreadModes.Color);
            if (image.Empty())
            {
                image.Dispose();
                throw new SourceUnavailableException(path, "OpenCV cannot decode the image");
            }
            return new StillFrame(image);
        }
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            throw new SourceUnavailableException(path, "OpenCV cannot open the video");
        }
        var mat = new Mat();
        for (int i = 0; i <= index; i++)
        {
            if (!capture.Read(mat) || mat.Empty())
            {
                mat.Dispose();
                throw new SourceUnavailableException(path, $"the video has only {i} frames; frame {index} was asked for");
            }
        }
        return new StillFrame(mat);
    }

    public IntPtr Pointer => _mat.Data;
    public int Width => _mat.Width;
    public int Height => _mat.Height;
    public int Stride => checked((int)_mat.Step());

    public void Dispose() => _mat.Dispose();
}
