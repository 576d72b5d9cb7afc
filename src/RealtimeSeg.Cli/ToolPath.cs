namespace RealtimeSeg.Cli;

/// <summary>
/// Whether the commands the CLI prints for a person to paste (<c>realtimeseg subscribe …</c>) work as printed: true
/// when a <c>realtimeseg</c> executable is on the PATH (<c>scripts/install.sh</c> installs the .NET tool); otherwise
/// <see cref="Hint"/> says how to run them from this build.
/// </summary>
internal static class ToolPath
{
    public static bool IsOnPath()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        foreach (string folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(folder, "realtimeseg")))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>One line for a banner when <c>realtimeseg</c> is not on the PATH, else null.</summary>
    public static string? Hint()
        => IsOnPath()
            ? null
            : $"  (realtimeseg is not on your PATH: scripts/install.sh installs it, or run it as: dotnet {Path.Combine(AppContext.BaseDirectory, "realtimeseg.dll")})";
}
