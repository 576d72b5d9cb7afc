using System.Diagnostics;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>The scripts wait for apt's locks instead of failing when another apt runs (issue 19, item 7).</summary>
public sealed class ScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// <c>apt-get update</c> ignores <c>DPkg::Lock::Timeout</c> for the package lists' lock and fails at once (exit 100);
    /// scripts/apt-wait.sh waits for the process holding it. The holder here is a real process with apt's kind of lock
    /// (fcntl), ended as soon as the script says it is waiting for it — held for that moment only.
    /// </summary>
    [RootFact]
    public void AptUpdate_ListsLockHeldByAnotherProcess_WaitsForItToEndThenUpdates()
    {
        using Process holder = Start("/usr/bin/python3", "-c",
            "import fcntl, sys\nf = open('/var/lib/apt/lists/lock', 'w')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()");
        Assert.Equal("locked", holder.StandardOutput.ReadLine());

        using Process script = Start("/bin/bash", "-c", "source scripts/apt-wait.sh && apt_update");
        string waiting = $"locked by process {holder.Id}; waiting for it to finish";
        string? line;
        var stderr = new List<string>();
        while ((line = script.StandardError.ReadLine()) is not null)
        {
            stderr.Add(line);
            if (line.Contains(waiting, StringComparison.Ordinal))
            {
                holder.StandardInput.Close(); // the holder ends, releasing the lock
                break;
            }
        }
        Assert.True(line is not null, $"the script did not wait for the lock's holder: {string.Join('\n', stderr)}");
        stderr.Add(script.StandardError.ReadToEnd());
        Assert.True(script.WaitForExit(Timeout), "apt-get update did not finish");
        Assert.True(script.ExitCode == 0, $"exit {script.ExitCode}: {string.Join('\n', stderr)}");
        Assert.True(holder.WaitForExit(Timeout));
    }

    private static Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestAssets.RepositoryRoot,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["RSEG_APT_LOCK_WAIT"] = "120";
        return Process.Start(psi)!;
    }
}
