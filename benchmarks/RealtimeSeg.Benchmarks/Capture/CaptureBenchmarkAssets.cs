namespace RealtimeSeg.Benchmarks.Capture;

/// <summary>
/// Finds the shared test videos (outside the repository) for capture benchmarks: <c>$REALTIMESEG_ASSETS</c>, else
/// <c>../shared/assets</c> beside the repository root found above the benchmark's directory.
/// </summary>
internal static class CaptureBenchmarkAssets
{
    public static string Video(string name)
    {
        string? root = Environment.GetEnvironmentVariable("REALTIMESEG_ASSETS");
        if (string.IsNullOrEmpty(root))
        {
            root = FindBesideRepository(AppContext.BaseDirectory) ?? FindBesideRepository(Environment.CurrentDirectory);
        }
        string path = Path.Combine(root ?? "", "videos", name);
        if (root is null || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"capture benchmarks need the shared test video '{name}': set REALTIMESEG_ASSETS or place the assets at ../shared/assets beside the repository", path);
        }
        return path;
    }

    private static string? FindBesideRepository(string start)
    {
        for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "RealtimeSeg.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir, "..", "shared", "assets"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }
}
