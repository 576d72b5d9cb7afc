using System.Diagnostics;
using System.Globalization;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A real filesystem of a few hundred kilobytes (a tmpfs mounted on a fresh temp folder) for disk-full faults: writes
/// beyond its size fail with ENOSPC exactly as on a full disk. Unmounted and removed on dispose. Needs root
/// (<see cref="RootFactAttribute"/>).
/// </summary>
public sealed class SmallFilesystem : IDisposable
{
    private bool _mounted;

    public SmallFilesystem(int kilobytes)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "realtimeseg-full-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Run("mount", "-t", "tmpfs", "-o", "size=" + kilobytes.ToString(CultureInfo.InvariantCulture) + "k,mode=0755", "tmpfs", Path);
        _mounted = true;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Trim()}");
        }
    }

    public void Dispose()
    {
        if (_mounted)
        {
            // Lazy: a process that still holds a file open (a failed run's leftovers) must not keep the mount.
            Run("umount", "-l", Path);
            _mounted = false;
        }
        Directory.Delete(Path, recursive: true);
    }
}
