using System.Diagnostics;
using System.Text;

namespace RealtimeSeg.Cli.Tests;

/// <summary>Runs the real <c>realtimeseg</c> executable (built next to the tests) as a child process.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _stderrLine = new(0);

    private CliProcess(Process process)
    {
        _process = process;
    }

    public static CliProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "realtimeseg.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = psi };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (cli._stdout) { cli._stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (cli._stderr)
                {
                    cli._stderr.AppendLine(e.Data);
                }
                cli._stderrLine.Release();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to completion (killing it after <paramref name="timeout"/>) and returns the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, params string[] args)
    {
        using CliProcess p = Start(args);
        int code = p.WaitForExit(timeout);
        return (code, p.Stdout, p.Stderr);
    }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    /// <summary>The child's process id (for sending it signals).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Waits, woken by each new stderr line, until stderr holds a line matching <paramref name="pattern"/>; returns the
    /// match. Fails when the process exits first or after <paramref name="timeout"/>.
    /// </summary>
    public System.Text.RegularExpressions.Match WaitForStderr(string pattern, TimeSpan timeout)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.Multiline);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            System.Text.RegularExpressions.Match m = regex.Match(Stderr);
            if (m.Success)
            {
                return m;
            }
            if (_process.HasExited)
            {
                _process.WaitForExit();
                m = regex.Match(Stderr);
                return m.Success ? m : throw new InvalidOperationException($"realtimeseg exited ({_process.ExitCode}) before printing /{pattern}/; stderr:\n{Stderr}");
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                throw new TimeoutException($"no /{pattern}/ on stderr within {timeout}; stderr:\n{Stderr}");
            }
            // A line arriving wakes the wait; the bound only lets a process exit be noticed.
            _stderrLine.Wait(TimeSpan.FromMilliseconds(Math.Min(left, 500)));
        }
    }
    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            throw new TimeoutException($"realtimeseg did not exit within {timeout}; stderr:\n{Stderr}");
        }
        _process.WaitForExit(); // flush async output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        _stderrLine.Dispose();
    }
}
