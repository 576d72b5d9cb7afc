using System.Diagnostics;

namespace RealtimeSeg.TestSupport;

/// <summary>Prometheus's own checker (<c>promtool</c>, Debian's <c>prometheus</c> package).</summary>
public static class Promtool
{
    public const string ExecutablePath = "/usr/bin/promtool";

    /// <summary>Why it cannot run here, or null.</summary>
    public static string? MissingReason => File.Exists(ExecutablePath)
        ? null
        : $"needs promtool at {ExecutablePath} (Debian's prometheus package; scripts/install-deps.sh installs it)";

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var psi = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("check");
        psi.ArgumentList.Add("metrics");
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(exposition);
        p.StandardInput.Close();
        await p.WaitForExitAsync();
        return (p.ExitCode, (await stdout) + (await stderr));
    }
}
