using System.Runtime.CompilerServices;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// Gives every test assembly the thread-pool floor the <c>realtimeseg</c> executable sets at start-up, so
/// pipeline stages that block a pool thread (an ONNX Runtime run) do not starve awaiting stages on 2 cores.
/// </summary>
internal static class ThreadPoolWarmup
{
#pragma warning disable CA2255 // deliberate: test-process set-up, this assembly is only loaded by test projects
    [ModuleInitializer]
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
    }
#pragma warning restore CA2255
}
