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
    private readonly ChannelWaiter _waiter = new();

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

    /// <summary>How long the sink's thread may sleep without a frame before <see cref="OnIdle"/> runs; infinite by default.</summary>
    protected virtual TimeSpan IdleInterval => Timeout.InfiniteTimeSpan;

    /// <summary>Runs on the sink's thread when no frame came for <see cref="IdleInterval"/> (e.g. flush a file on time).</summary>
    protected virtual void OnIdle()
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
        using CancellationTokenRegistration onCancel = ct.UnsafeRegister(static s => ((ChannelWaiter)s!).Wake(), _waiter);
        Func<bool> stopped = () => ct.IsCancellationRequested;
        try
        {
            while (true)
            {
                ChannelWaitResult wait = _waiter.WaitToRead(frames, stopped, IdleInterval);
                if (wait == ChannelWaitResult.TimedOut)
                {
                    OnIdle();
                    continue;
                }
                if (wait != ChannelWaitResult.Readable)
                {
                    break;
                }
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
}
