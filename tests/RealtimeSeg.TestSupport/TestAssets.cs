namespace RealtimeSeg.TestSupport;

/// <summary>
/// Locates the shared real test material (videos, models, reference data) outside the repository:
/// <c>$REALTIMESEG_ASSETS</c>, else <c>../shared/assets</c> relative to the repository root.
/// Tests that need it use <see cref="AssetFactAttribute"/> so they skip, with a reason, on a clone without it.
/// </summary>
public static class TestAssets
{
    private static readonly Lazy<string?> Root = new(Locate);

    public static string? Directory => Root.Value;

    public static bool Available => Root.Value is not null;

    public static string MissingReason =>
        "shared test assets not found: set REALTIMESEG_ASSETS or place them at ../shared/assets beside the repository";

    /// <summary>Absolute path of an asset, e.g. <c>Path("videos/udacity-cars-1280x720.mp4")</c>.</summary>
    public static string Path(string relative)
        => System.IO.Path.Combine(Root.Value ?? throw new InvalidOperationException(MissingReason), relative);

    public static string UdacityCars => Path("videos/udacity-cars-1280x720.mp4");
    public static string UdacityHighway => Path("videos/udacity-highway-960x540.mp4");
    public static string YoloSeg => Path("models/yolov8n-seg-int8-320.onnx");
    public static string RoadSegmentation => Path("models/road-segmentation-adas-0001.onnx");

    /// <summary>The repository root (the folder holding RealtimeSeg.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string? Locate()
    {
        string? env = Environment.GetEnvironmentVariable("REALTIMESEG_ASSETS");
        if (!string.IsNullOrEmpty(env))
        {
            return System.IO.Directory.Exists(env) ? System.IO.Path.GetFullPath(env) : null;
        }
        string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "assets"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(System.IO.Path.Combine(dir, "RealtimeSeg.sln")))
            {
                return dir;
            }
            dir = System.IO.Path.GetDirectoryName(dir);
        }
        throw new InvalidOperationException($"RealtimeSeg.sln not found above {AppContext.BaseDirectory}");
    }
}
