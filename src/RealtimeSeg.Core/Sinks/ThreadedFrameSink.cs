using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// Base of sinks whose work blocks — file writes, image encoding, a socket that is not thread-safe — so it must not run
/// on the thread pool: <see cref="RunAsync"/> runs <see cref="Write"/> for every frame on a dedicated thread of the
/// sink's own, which sleeps on the queue without allocating. An end of stream goes to <see cref="OnEndOfStream"/> instead.
/// The frame's reference is released after the call returns or throws; a throw fails the sink (the pipeline reports it
/// and runs on without it).
/// </summary>
public abstract class ThreadedFrameSink : IFrameSink
{
    private readonly ManualResetEventSlim _arrived = new(initialState: false);
    private readonly Action _signal;

    protected ThreadedFrameSink()
    {
        _signal = _arrived.Set;
    }

    public abstract string Name { get; }

    public virtual int QueueCapacity => 8;

    public virtual Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => ThreadMain(frames, completion, ct)) { IsBackground = true, Name = "rseg-sink-" + Name };
        thread.Start();
        return completion.Task;
    }

    /// <summary>Writes one frame (on the sink's thread). The frame is read-only and must not be kept after returning.</summary>
    protected abstract void Write(ComposedFrame frame);

    /// <summary>A stream ended (its panoptic frame names it; <see cref="ComposedFrame.EndReason"/> says why). Ignored by default.</summary>
    protected virtual void OnEndOfStream(ComposedFrame end)
    {
    }

    /// <summary>Called once on the sink's thread when the queue has drained (not after an abort): flush and close.</summary>
    protected virtual void Complete()
    {
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private void ThreadMain(ChannelReader<ComposedFrame> frames, TaskCompletionSource completion, CancellationToken ct)
    {
        using CancellationTokenRegistration onCancel = ct.UnsafeRegister(static s => ((ManualResetEventSlim)s!).Set(), _arrived);
        try
        {
            while (WaitToRead(frames, ct))
            {
                while (!ct.IsCancellationRequested && frames.TryRead(out ComposedFrame? frame))
                {
                    try
                    {
                        if (frame.IsEndOfStream)
                        {
                            OnEndOfStream(frame);
                        }
                        else
                        {
                            Write(frame);
                        }
                    }
                    finally
                    {
                        frame.Release();
                    }
                }
            }
            if (ct.IsCancellationRequested)
            {
                completion.TrySetCanceled(ct);
                return;
            }
            Complete();
            completion.TrySetResult();
        }
        catch (Exception e)
        {
            completion.TrySetException(e);
        }
    }

    /// <summary>Blocks until a frame is readable (true) or the queue completed or the run aborted (false).</summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly",
        Justification = "A dedicated thread cannot await: the wait is observed once through a continuation and its result read only after it completed.")]
    private bool WaitToRead(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            _arrived.Reset();
            // No token: the channel reuses its waiter, so sleeping here allocates nothing; an abort sets the event.
            ValueTask<bool> ready = frames.WaitToReadAsync(CancellationToken.None);
            if (!ready.IsCompleted)
            {
                ready.GetAwaiter().UnsafeOnCompleted(_signal);
                _arrived.Wait(CancellationToken.None);
                if (!ready.IsCompleted)
                {
                    continue;
                }
            }
            return ready.GetAwaiter().GetResult();
        }
        return false;
    }
}
