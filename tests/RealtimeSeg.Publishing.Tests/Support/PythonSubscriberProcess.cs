using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>
/// tools/python-subscriber/subscribe.py running against a publisher: its stdout JSON lines are collected as they arrive
/// (so a test can wait for the n-th one), its stderr kept for assertions and failure messages. Killed on disposal if
/// still running.
/// </summary>
public sealed class PythonSubscriberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly Task _stdoutDone;
    private readonly Task _stderrDone;
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PythonSubscriberProcess(Process process)
    {
        _process = process;
        _stdoutDone = PumpStdoutAsync();
        _stderrDone = PumpStderrAsync();
    }

    /// <summary>Starts the script with <c>--connect endpoint --json --timeout 30</c> and <paramref name="arguments"/>.</summary>
    public static PythonSubscriberProcess Start(string endpoint, params string[] arguments)
    {
        string script = Path.Combine(TestAssets.RepositoryRoot, "tools", "python-subscriber", "subscribe.py");
        var start = new ProcessStartInfo(PythonSubscriberFactAttribute.Python, [script, "--connect", endpoint, "--json", "--timeout", "30", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new PythonSubscriberProcess(Process.Start(start)!);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The JSON lines printed so far, one per frame.</summary>
    public IReadOnlyList<JsonElement> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines.Select(line => JsonDocument.Parse(line).RootElement.Clone())];
            }
        }
    }

    public int LineCount
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Completes when a frame line satisfying <paramref name="condition"/> has been printed (or throws when the script exits first or the time is up).</summary>
    public async Task WaitForRecordAsync(Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        Task timedOut = Task.Delay(Timeout.Infinite, cts.Token);
        int seen = 0;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                for (; seen < _lines.Count; seen++)
                {
                    using JsonDocument doc = JsonDocument.Parse(_lines[seen]);
                    if (condition(doc.RootElement))
                    {
                        return;
                    }
                }
                arrived = _lineArrived.Task;
            }
            Task finished = await Task.WhenAny(arrived, _stdoutDone, timedOut).ConfigureAwait(false);
            if (finished == _stdoutDone && !arrived.IsCompleted)
            {
                Assert.Fail($"subscribe.py exited before printing {what}; stderr:\n{Stderr}");
            }
            if (cts.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for subscribe.py to print {what}; stderr:\n{Stderr}");
            }
        }
    }

    /// <summary>Waits for the script to exit by itself and returns its exit code, with everything it printed read.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"subscribe.py did not exit within {timeout.TotalSeconds} s; stderr:\n{Stderr}");
        }
        await Task.WhenAll(_stdoutDone, _stderrDone).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(_stdoutDone, _stderrDone).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            TaskCompletionSource arrived;
            lock (_gate)
            {
                _lines.Add(line);
                arrived = _lineArrived;
                _lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            arrived.SetResult();
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_gate)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
