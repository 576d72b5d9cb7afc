using System.Diagnostics;

namespace RealtimeSeg.Core;

/// <summary>
/// Starts child processes (ffmpeg, ffprobe: network sources, the overlay video's encoder) so that they never outlive the
/// pipeline. Normal exits and disposal kill them explicitly; for a
/// crash of this process, the child is started through util-linux's <c>setpriv --pdeathsig KILL</c>, which makes the
/// kernel send it SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG) and then execs the real program in place.
/// Linux ties that signal to the thread that forked the child, so a source starts its ffmpeg on its own capture thread,
/// which lives exactly as long as the ffmpeg it reads (and the overlay sink its encoder on the sink's thread). Without setpriv (another OS, a minimal image) children still
/// die with the pipeline on every exit except a hard crash.
/// </summary>
public sealed class ChildProcessLauncher
{
    private const string SetprivPath = "/usr/bin/setpriv";

    private ChildProcessLauncher(bool useSetpriv)
    {
        UsesParentDeathSignal = useSetpriv;
    }

    /// <summary>True when children get SIGKILL on the death of their parent.</summary>
    public bool UsesParentDeathSignal { get; }

    /// <summary>Checks once whether <c>setpriv</c> exists and knows <c>--pdeathsig</c> (util-linux ≥ 2.33).</summary>
    public static ChildProcessLauncher Detect()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(SetprivPath))
        {
            return new ChildProcessLauncher(false);
        }
        try
        {
            var psi = new ProcessStartInfo(SetprivPath, "--help") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process p = Process.Start(psi)!;
            string help = p.StandardOutput.ReadToEnd();
            p.WaitForExit(2000);
            return new ChildProcessLauncher(help.Contains("--pdeathsig", StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new ChildProcessLauncher(false);
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> with stdout and stderr redirected. Stdin: a pipe the caller writes when
    /// <paramref name="redirectStandardInput"/> (a child fed frames); else <paramref name="standardInput"/> written and
    /// closed (a secret handed over this way is not on the command line); else closed.
    /// </summary>
    public Process Start(string executable, IReadOnlyList<string> arguments, bool redirectStandardInput = false, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStandardInput || standardInput is not null,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (UsesParentDeathSignal)
        {
            psi.FileName = SetprivPath;
            psi.ArgumentList.Add("--pdeathsig");
            psi.ArgumentList.Add("KILL");
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(executable);
        }
        else
        {
            psi.FileName = executable;
        }
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        Process process = Process.Start(psi) ?? throw new InvalidOperationException($"{executable} did not start");
        if (standardInput is not null && !redirectStandardInput)
        {
            try
            {
                // A few hundred bytes: fits the pipe buffer, so this never waits on the child.
                process.StandardInput.Write(standardInput);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child exited before reading; its exit code and stderr tell why.
            }
        }
        return process;
    }

    /// <summary>Kills <paramref name="process"/> if it still runs; never throws.</summary>
    public static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited (or was never started) between the check and the kill.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The pid is gone already.
        }
    }
}
