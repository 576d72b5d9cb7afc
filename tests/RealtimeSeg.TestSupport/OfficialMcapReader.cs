using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// Runs tools/mcap-check/check.js (@mcap/core's indexed or stream reader) on a file and returns its JSON report.
/// Installs the checker's locked dependencies with <c>npm ci</c> on first use if scripts/test.sh has not.
/// </summary>
public static class OfficialMcapReader
{
    private static readonly Lazy<string?> Node = new(() => FindOnPath("node"));
    private static readonly object InstallLock = new();
    private static bool _installed;

    public static string? NodePath => Node.Value;

    /// <summary>Why the official reader cannot run here, or null when it can.</summary>
    public static string? MissingReason => NodePath is null
        ? "node not found on PATH: install Debian's nodejs and npm (scripts/install-deps.sh does) to check recordings with @mcap/core"
        : null;

    public static JsonElement Indexed(string file) => Run("indexed", file, expectSuccess: true);

    public static JsonElement Stream(string file) => Run("stream", file, expectSuccess: null);

    /// <summary>Runs the indexed reader on a file it must reject; returns the report (with "error").</summary>
    public static JsonElement IndexedRejecting(string file) => Run("indexed", file, expectSuccess: false);

    private static JsonElement Run(string mode, string file, bool? expectSuccess)
    {
        EnsureInstalled();
        var start = new ProcessStartInfo(NodePath!, [Path.Combine(RepositoryPaths.McapCheck, "check.js"), mode, file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.McapCheck,
        };
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), $"check.js {mode} {file} did not finish in 120 s");
        string errors = stderr.Result;
        if (expectSuccess == true)
        {
            Assert.True(process.ExitCode == 0, $"@mcap/core rejected {file} ({mode}), exit {process.ExitCode}: {stdout} {errors}");
        }
        else if (expectSuccess == false)
        {
            Assert.True(process.ExitCode == 1, $"@mcap/core accepted {file} ({mode}) that it should reject: {stdout} {errors}");
        }
        Assert.False(string.IsNullOrWhiteSpace(stdout), $"check.js printed nothing: {errors}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (_installed || Directory.Exists(Path.Combine(RepositoryPaths.McapCheck, "node_modules", "@mcap", "core")))
            {
                _installed = true;
                return;
            }
            string npm = FindOnPath("npm") ?? throw new InvalidOperationException("tools/mcap-check has no node_modules and npm is not on PATH: apt-get install npm, then scripts/test.sh runs npm ci");
            var start = new ProcessStartInfo(npm, ["ci", "--no-audit", "--no-fund", "--prefer-offline"])
            {
                WorkingDirectory = RepositoryPaths.McapCheck,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"npm ci in tools/mcap-check failed: {stdout} {stderr.Result}");
            _installed = true;
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
