using System.Diagnostics;
using System.Runtime.ExceptionServices;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Runs one extra model of a fused pipeline on a dedicated thread, so it infers the same frame while the inference
/// thread runs the first model. A thread rather than <c>Parallel.Invoke</c> or a task per frame: those allocate per frame
/// and would block thread-pool threads for a whole inference; this hands over through fields and two semaphores
/// (synchronous waits, no allocation). Protocol per frame, from the one inference thread: <see cref="Start"/>, then
/// <see cref="WaitRun"/> (always, also when the caller's own model failed), then <see cref="ThrowIfFailed"/>.
/// </summary>
internal sealed class ModelWorker : IDisposable
{
    private readonly SegmentationModel _model;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _go = new(0, 1);
    private readonly SemaphoreSlim _done = new(0, 1);
    private InferenceSlot? _slot;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;
    private long _threadAllocated;
    private bool _busy;

    public ModelWorker(SegmentationModel model, string name)
    {
        _model = model;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Starts running the model on <paramref name="slot"/> (already preprocessed).</summary>
    public void Start(InferenceSlot slot)
    {
        Debug.Assert(!_busy, "one frame at a time");
        Debug.Assert(!_stopping, "a stopped worker takes no frame");
        _slot = slot;
        _failure = null;
        _busy = true;
        // Release publishes the fields above to the worker (a full fence).
        _go.Release();
    }

    /// <summary>Blocks until the run has finished (or failed). Every <see cref="Start"/> is matched by one wait.</summary>
    public void WaitRun()
    {
        Debug.Assert(_busy, "a wait matches a start");
        _done.Wait();
        _busy = false;
    }

    /// <summary>Managed bytes the worker thread had allocated when it finished its last run (tests prove it stays flat).</summary>
    public long ThreadAllocatedBytes => Volatile.Read(ref _threadAllocated);

    /// <summary>Rethrows, on the inference thread, what the last run threw.</summary>
    public void ThrowIfFailed() => _failure?.Throw();

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            if (_stopping)
            {
                return;
            }
            try
            {
                _model.Run(_slot!);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                Volatile.Write(ref _threadAllocated, GC.GetAllocatedBytesForCurrentThread());
                // Always, whatever happened: the inference thread waits for exactly this release.
                _done.Release();
            }
        }
    }

    /// <summary>Stops the thread; call when no frame is in progress (after the inference stage ended).</summary>
    public void Dispose()
    {
        Debug.Assert(!_busy, "disposed while a run is in progress");
        _stopping = true;
        _go.Release();
        _thread.Join();
        _go.Dispose();
        _done.Dispose();
    }
}
