using System.Diagnostics;
using System.Runtime.ExceptionServices;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Runs one extra model of a fused pipeline on a dedicated thread, so that it preprocesses and infers the same frame
/// while the inference stage runs the first model. A thread rather than <c>Parallel.Invoke</c> or a task per frame:
/// those allocate per frame; this hands over through fields and three semaphores (synchronous waits, no allocation).
/// Protocol per frame, from the one inference thread: <see cref="Start"/>, <see cref="WaitPreprocessed"/> (then the
/// frame's pixels may go), <see cref="WaitInferred"/>, <see cref="ThrowIfFailed"/>.
/// </summary>
internal sealed class ModelWorker : IDisposable
{
    private readonly SegmentationModel _model;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _go = new(0, 1);
    private readonly SemaphoreSlim _preprocessed = new(0, 1);
    private readonly SemaphoreSlim _inferred = new(0, 1);
    private IntPtr _pixels;
    private int _width;
    private int _height;
    private int _stride;
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

    /// <summary>Starts preprocessing the BGR frame into <paramref name="slot"/> and running the model on it.</summary>
    public void Start(IntPtr pixels, int width, int height, int stride, InferenceSlot slot)
    {
        Debug.Assert(!_busy, "one frame at a time");
        (_pixels, _width, _height, _stride, _slot) = (pixels, width, height, stride, slot);
        AssertInvariants();
        _failure = null;
        _busy = true;
        // Release publishes the fields above to the worker (a full fence).
        _go.Release();
    }

    /// <summary>Blocks until the worker no longer reads the frame's pixels.</summary>
    public void WaitPreprocessed() => _preprocessed.Wait();

    /// <summary>Blocks until the run finished (or failed).</summary>
    public void WaitInferred()
    {
        _inferred.Wait();
        _busy = false;
    }

    /// <summary>Managed bytes the worker thread had allocated when it finished its last frame (tests prove it stays flat).</summary>
    public long ThreadAllocatedBytes => Volatile.Read(ref _threadAllocated);

    /// <summary>Rethrows, on the inference thread, what the last frame's preprocessing or run threw.</summary>
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
            InferenceSlot slot = _slot!;
            try
            {
                _model.Preprocess(_pixels, _width, _height, _stride, slot);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                _preprocessed.Release();
                _inferred.Release();
                continue;
            }
            _preprocessed.Release();
            try
            {
                _model.Run(slot);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            Volatile.Write(ref _threadAllocated, GC.GetAllocatedBytesForCurrentThread());
            _inferred.Release();
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(!_stopping, "a stopped worker takes no frame");
        Debug.Assert(_thread.IsAlive, "the worker thread runs until Dispose");
    }

    /// <summary>Stops the thread; call when no frame is in progress (after the inference stage ended).</summary>
    public void Dispose()
    {
        _stopping = true;
        _go.Release();
        _thread.Join();
        _go.Dispose();
        _preprocessed.Dispose();
        _inferred.Dispose();
    }
}
