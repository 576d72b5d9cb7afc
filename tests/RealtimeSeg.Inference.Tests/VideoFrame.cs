using OpenCvSharp;

namespace RealtimeSeg.Inference.Tests;

/// <summary>One decoded frame of a real video (BGR, OpenCV's memory), for feeding models in tests.</summary>
internal sealed class VideoFrame : IDisposable
{
    private readonly Mat _mat;

    private VideoFrame(Mat mat) => _mat = mat;

    public static VideoFrame Read(string path, int index)
    {
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            throw new InvalidOperationException($"cannot open {path}");
        }
        var mat = new Mat();
        for (int i = 0; i <= index; i++)
        {
            if (!capture.Read(mat) || mat.Empty())
            {
                mat.Dispose();
                throw new InvalidOperationException($"{path} has no frame {index}");
            }
        }
        return new VideoFrame(mat);
    }

    public IntPtr Pointer => _mat.Data;
    public int Width => _mat.Width;
    public int Height => _mat.Height;
    public int Stride => checked((int)_mat.Step());

    public void Dispose() => _mat.Dispose();
}
