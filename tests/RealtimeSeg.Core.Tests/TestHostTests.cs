using System.Diagnostics;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Core.Tests;

/// <summary>
/// The test process itself: CI's Debug run relies on a failed Debug.Assert ending the test host. Were the listener not
/// installed (tests/Directory.Build.props compiles it into every test assembly), the test platform's own listener would
/// turn asserts into exceptions that a pipeline thread can swallow, and the Debug run would prove nothing.
/// </summary>
public sealed class TestHostTests
{
    [Fact]
    public void TraceListeners_InATestProcess_AreTheFailFastListenerAlone()
    {
        TraceListener listener = Assert.Single(Trace.Listeners.Cast<TraceListener>(), l => l is DefaultTraceListener);

        Assert.IsType<FailFastTraceListener>(listener);
    }
}
