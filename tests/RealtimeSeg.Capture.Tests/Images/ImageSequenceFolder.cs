using OpenCvSharp;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests.Images;

/// <summary>A temporary folder holding real frames of a real video (the first N frames of the Udacity clip) as PNG/JPEG files.</summary>
internal sealed class ImageSequenceFolder : IDisposable
{
    private ImageSequenceFolder(string path, int width, int height)
    {
        Path = path;
        Width = width;
        Height = height;
    }

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Writes <paramref name="count"/> frames named by <paramref name="name"/> (index → file name), half-size to keep it quick.</summary>
    public static ImageSequenceFolder FromVideo(int count, Func<int, string> name)
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rseg-images-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var capture = new VideoCapture(TestAssets.UdacityHighway);
        using var frame = new Mat();
        using var small = new Mat();
        for (int i = 0; i < count; i++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty(), "the reference video has fewer frames than asked for");
            Cv2.Resize(frame, small, new Size(frame.Cols / 2, frame.Rows / 2));
            Cv2.ImWrite(System.IO.Path.Combine(dir, name(i)), small);
        }
        return new ImageSequenceFolder(dir, small.Cols, small.Rows);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
