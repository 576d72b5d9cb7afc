namespace RealtimeSeg.Benchmarks.Evaluation;

/// <summary>
/// Finds the shared MOT files (outside the repository) for the evaluation benchmarks: <c>$REALTIMESEG_ASSETS</c>,
/// else <c>../shared/assets</c> beside the repository root above the benchmark's directory. Fails loudly when absent.
/// </summary>
internal static class MotBenchmarkAssets
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

    private static string RepositoryRoot()
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
