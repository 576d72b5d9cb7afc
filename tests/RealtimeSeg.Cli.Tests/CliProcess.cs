using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace RealtimeSeg.Cli.Tests;

/// <summary>Runs the real <c>realtimeseg</c> executable (built next to the tests) as a child process.</summary>
internal sealed partial class CliProcess : IDisposable
{
    /// <summary>
    /// Lets the system pick the publisher's port: no free-port guess that another process could take first. The run
    /// names the bound endpoint on stderr ("… subscribe --connect ENDPOINT"), which <see cref="StartWithSubscriber"/> reads.
    /// </summary>
    public const string AnyPort = "tcp://127.0.0.1:*";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
            if (e.Data is null)
            {
                cli._endpoint.TrySetException(new InvalidOperationException($"realtimeseg ended without naming the endpoint it publishes on; stderr:\n{cli.Stderr}"));
                return;
            }
            lock (cli._stderr)
            {
                cli._stderr.AppendLine(e.Data);
            }
            cli._stderrLine.Release();
            if (SubscribeHint().Match(e.Data) is { Success: true } m)
            {
                cli._endpoint.TrySetResult(m.Groups[1].Value);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>
    /// Starts a publishing command (<c>run</c>, <c>demo</c>) on a port the system picks that holds capture until a
    /// subscriber is there, waits until it names its bound endpoint, then starts <c>realtimeseg subscribe --connect
    /// ENDPOINT</c> with <paramref name="subscribeArgs"/>. So the subscriber sees frame 0, with no sleep and no port guess.
    /// </summary>
    public static (CliProcess Publisher, CliProcess Subscriber, string Endpoint) StartWithSubscriber(string[] publisherArgs, params string[] subscribeArgs)
        => StartWithClient(publisherArgs, endpoint => ["subscribe", "--connect", endpoint, .. subscribeArgs]);

    /// <summary>As <see cref="StartWithSubscriber"/>, with any client command (<c>record --connect ENDPOINT …</c>, say).</summary>
    public static (CliProcess Publisher, CliProcess Client, string Endpoint) StartWithClient(string[] publisherArgs, Func<string, string[]> clientArgs)
    {
        CliProcess publisher = Start([.. publisherArgs, "--publish", AnyPort, "--wait-for-subscriber", "120"]);
        try
        {
            if (!publisher._endpoint.Task.Wait(StartTimeout))
            {
                throw new TimeoutException($"realtimeseg {publisherArgs[0]} named no endpoint within {StartTimeout}; stderr:\n{publisher.Stderr}");
            }
            string endpoint = publisher._endpoint.Task.Result;
            return (publisher, Start(clientArgs(endpoint)), endpoint);
        }
        catch
        {
            publisher.Dispose();
            throw;
        }
    }

    /// <summary>Runs to completion (killing it after <paramref name="timeout"/>) and returns the exit code.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, params string[] args)
    {
        using CliProcess p = Start(args);
        int code = p.WaitForExit(timeout);
        return (code, p.Stdout, p.Stderr);
    }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }
    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Kills the process at once (SIGKILL: no handler runs, as <c>kill -9</c>) and waits for it to be gone.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The child's process id (for sending it signals).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Waits, woken by each new stderr line, until stderr holds a match of <paramref name="pattern"/>; returns it. Fails
    /// when the process exits first or after <paramref name="timeout"/>.
    /// </summary>
    public Match WaitForStderr(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Match m = regex.Match(Stderr);
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

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            throw new TimeoutException($"realtimeseg did not exit within {timeout}; {Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines on stdout; stderr:\n{Stderr}");
        }
        _process.WaitForExit(); // flush async output
        return _process.ExitCode;
    }

    // "watch with: realtimeseg subscribe --connect tcp://127.0.0.1:40123" (run) or "watch it:  realtimeseg subscribe --connect …" (demo).
    [GeneratedRegex(@"realtimeseg subscribe --connect (tcp://[^\s;]+)")]
    private static partial Regex SubscribeHint();

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
