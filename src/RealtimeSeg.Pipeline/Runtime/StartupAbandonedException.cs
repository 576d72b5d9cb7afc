namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// A stop during start-up found the pipeline still being built (a model loading) after the drain bound. The build goes
/// on in native code on another thread, so the process must not run native teardown (ONNX Runtime's global destructors
/// at exit) under it: the caller exits without it.
/// </summary>
public sealed class StartupAbandonedException : OperationCanceledException
{
    public StartupAbandonedException(TimeSpan waited, CancellationToken token)
        : base($"the pipeline was still starting (a model loading) {waited.TotalSeconds:0.#} s after the stop", token)
    {
    }

    public StartupAbandonedException()
    {
    }

    public StartupAbandonedException(string message) : base(message)
    {
    }

    public StartupAbandonedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
