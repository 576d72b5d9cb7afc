using System.Diagnostics;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>
/// A fact that runs tools/python-subscriber/subscribe.py with Debian's /usr/bin/python3; skipped, saying what to
/// install, when python3 or its zmq/msgpack modules are missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonSubscriberFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> MissingReason = new(Probe);

    public PythonSubscriberFactAttribute()
    {
        if (MissingReason.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        const string install = "apt-get install -y --no-install-recommends python3-zmq python3-msgpack";
        if (!File.Exists(Python))
        {
            return $"{Python} not found; install python3 and: {install}";
        }
        var start = new ProcessStartInfo(Python, ["-c", "import zmq, msgpack"]) { RedirectStandardError = true };
        using Process p = Process.Start(start)!;
        p.WaitForExit(30_000);
        return p.ExitCode == 0 ? null : $"python3 modules zmq/msgpack missing: {install}";
    }
}
