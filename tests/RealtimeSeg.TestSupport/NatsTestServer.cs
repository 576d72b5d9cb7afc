using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A real NATS server (Debian's <c>nats-server</c>) with JetStream on 127.0.0.1, its store in a temporary folder, on a
/// port held by a <see cref="PortReservation"/> so it can be stopped and started again on the same port with the same
/// store (a server restart as in production). Returns once the server logs that it is ready. The server gets SIGKILL
/// when the test host dies (<c>setpriv --pdeathsig</c>), so none is left behind.
/// </summary>
public sealed class NatsTestServer : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string?> Executable = new(FindServer);

    private readonly PortReservation _reservation = new();
    private readonly TempFolder _store = new();
    private readonly StringBuilder _log = new();
    private Process? _process;

    private NatsTestServer()
    {
    }

    /// <summary>Null when <c>nats-server</c> is installed; otherwise why not (tests skip with it).</summary>
    public static string? UnavailableReason => Executable.Value is null ? "nats-server is not installed (apt-get install nats-server; scripts/install-deps.sh does)" : null;

    public int Port => _reservation.Port;
    public string Url => $"nats://127.0.0.1:{Port}";
    public string StoreDirectory => _store.Path;

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static NatsTestServer Start()
    {
        var server = new NatsTestServer();
        try
        {
            server.Restart();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Stops the server if it runs (SIGKILL, as a crash) and starts it again on the same port and store.</summary>
    public void Restart()
    {
        Kill();
        var psi = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--pdeathsig", "KILL", Executable.Value!, "-js", "-sd", _store.Path, "-a", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"nats-server exited before it was ready:\n{Log}"));
                return;
            }
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
            if (e.Data.Contains("Server is ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        if (!ready.Task.Wait(ReadyTimeout))
        {
            throw new TimeoutException($"nats-server on port {Port} was not ready within {ReadyTimeout}:\n{Log}");
        }
    }

    /// <summary>Kills the server (SIGKILL) and waits until it is gone; the port stays reserved and the store kept.</summary>
    public void Kill()
    {
        if (_process is { } p)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
            p.WaitForExit();
            p.Dispose();
            _process = null;
        }
    }

    public void Dispose()
    {
        Kill();
        _store.Dispose();
        _reservation.Dispose();
    }

    private static string? FindServer()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            string candidate = System.IO.Path.Combine(dir, "nats-server");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
