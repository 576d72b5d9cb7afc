using System.Runtime.InteropServices;

namespace RealtimeSeg.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM for the whole process: the first asks the running command to stop (its token is
/// cancelled; the pipeline drains, writes its stats and exits 0); a second exits at once with code 130, the shell's
/// code for an interrupted command, without an unhandled exception or a core dump.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    /// <summary>Exit code of a second signal: 128 + SIGINT, what a shell reports for an interrupted command.</summary>
    public const int InterruptedExitCode = 130;

    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _log;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    public ShutdownSignals(TextWriter log)
    {
        _log = log;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the runtime must not terminate the process on its own.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _log.WriteLine($"{context.Signal}: stopping (again to exit at once)");
            _stop.Cancel();
            return;
        }
        _log.WriteLine($"{context.Signal} again: exiting now");
        _log.Flush();
        // Not Environment.Exit: an inference may be running in native code, and exit handlers would tear it down under it.
        ImmediateExit.Now(InterruptedExitCode);
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
