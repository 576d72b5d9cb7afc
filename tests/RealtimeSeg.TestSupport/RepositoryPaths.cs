namespace RealtimeSeg.TestSupport;

/// <summary>Finds the repository (the directory holding RealtimeSeg.sln) from the test binaries.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string McapCheck => Path.Combine(Root, "tools", "mcap-check");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RealtimeSeg.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"RealtimeSeg.sln not found above {AppContext.BaseDirectory}");
    }
}
