using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// Makes a failed <c>Debug.Assert</c> (or <c>Debug.Fail</c>, <c>Trace.Assert</c>) end the test host at once, as it ends
/// a Debug build of the product. The test platform's own listener turns a failed assert into a
/// <c>DebugAssertException</c> thrown at the assert; on a pipeline thread that exception becomes an ordinary stage
/// failure, a sink that "runs on without it", or nothing at all in a catch-all, so a broken invariant could pass
/// unnoticed. <see cref="Environment.FailFast(string)"/> cannot be caught: <c>dotnet test</c> reports the crashed
/// test host as a failed run and the blame collector names the test that was running.
/// <para>Compiled into every test assembly by tests/Directory.Build.props; the module initializer runs before the
/// assembly's first test, after the test host has installed its listener (which this one replaces).</para>
/// </summary>
internal sealed class FailFastTraceListener : DefaultTraceListener
{
#pragma warning disable CA2255 // deliberate: test-process set-up, compiled only into test assemblies
    [ModuleInitializer]
    internal static void Install()
    {
        for (int i = Trace.Listeners.Count - 1; i >= 0; i--)
        {
            if (Trace.Listeners[i] is DefaultTraceListener)
            {
                Trace.Listeners.RemoveAt(i);
            }
        }
        Trace.Listeners.Add(new FailFastTraceListener());
    }
#pragma warning restore CA2255

    public override void Fail(string? message) => Fail(message, null);

    public override void Fail(string? message, string? detailMessage)
    {
        string text = string.IsNullOrEmpty(detailMessage) ? message ?? "" : $"{message}{Environment.NewLine}{detailMessage}";
        // FailFast prints the message and the failing thread's stack to stderr, which the test platform shows.
        Environment.FailFast($"Debug assertion failed: {text}");
    }
}
