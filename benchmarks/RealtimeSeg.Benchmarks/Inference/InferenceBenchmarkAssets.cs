using OpenCvSharp;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// Finds the shared real assets the way the tests do (<c>$REALTIMESEG_ASSETS</c>, else <c>../shared/assets</c> beside
/// the repository) and decodes real frames. Benchmarks fail loudly rather than measure something made up.
/// </summary>
internal static class InferenceBenchmarkAssets
{
    public static string Path(string relative)
    {
        string? env = Environment.GetEnvironmentVariable("REALTIMESEG_ASSETS");
        string root = !string.IsNullOrEmpty(env) ? env : System.IO.Path.Combine(RepositoryRoot(), "..", "shared", "assets");
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"benchmark asset missing: {path} (set REALTIMESEG_ASSETS or place the shared assets at ../shared/assets)", path);
    }

    public static string YoloSeg => Path("models/yolov8n-seg-int8-320.onnx");

    public static string UdacityCars => Path("videos/udacity-cars-1280x720.mp4");

    /// <summary>Frame <paramref name="index"/> of a real video, BGR.</summary>
    public static Mat ReadFrame(string video, int index)
    {
        using var capture = new VideoCapture(video);
        var mat = new Mat();
        for (int i = 0; i <= index; i++)
        {
            if (!capture.Read(mat) || mat.Empty())
            {
                mat.Dispose();
                throw new InvalidOperationException($"{video} has no frame {index}");
            }
        }
        return mat;
    }

    internal static string RepositoryRoot()
    {
        // BenchmarkDotNet runs each benchmark from a generated project under bin/, so walk up from there.
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (File.Exists(System.IO.Path.Combine(dir, "RealtimeSeg.sln")))
            {
                return dir;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
