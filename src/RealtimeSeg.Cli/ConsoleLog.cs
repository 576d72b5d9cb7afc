using RealtimeSeg.Core;

namespace RealtimeSeg.Cli;

/// <summary>Pipeline events to stderr, one line each, so stdout stays clean for data (<c>subscribe --json</c>).</summary>
internal sealed class ConsoleLog : IPipelineLog
{
    private readonly TextWriter _out;
    private readonly bool _quiet;

    public ConsoleLog(TextWriter output, bool quiet = false)
    {
        _out = output;
        _quiet = quiet;
    }

    public void Info(string message)
    {
        if (!_quiet)
        {
            Write("info", message);
        }
    }

    public void Warn(string message) => Write("warn", message);
    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        lock (_out)
        {
            _out.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {level}: {message}");
        }
    }
}
