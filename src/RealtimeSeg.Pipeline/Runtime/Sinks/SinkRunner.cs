using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// One sink behind its own bounded queue: the fan-out offers it every frame (one reference each), the sink reads them at
/// its own pace, and when it falls behind the queue evicts (and releases) the oldest frame, counted in
/// <see cref="Dropped"/> — or, in lockstep, the fan-out waits for room. A sink that throws is reported
/// (<see cref="Failure"/>) and cut off: its queue is closed and emptied, and every later frame counts as dropped for it
/// alone, while the pipeline and the other sinks run on. An end-of-stream frame is never lost to eviction: when the
/// queue evicts one it is kept aside and offered again before the next frame (and before the queue completes), which
/// keeps it after its own stream's last frame, since nothing of that stream follows it.
/// </summary>
internal sealed class SinkRunner
{
    private readonly HandOff<ComposedFrame> _queue;
    private readonly IPipelineLog _log;
    private readonly System.Collections.Concurrent.ConcurrentQueue<ComposedFrame> _evictedEnds = new();
    private long _offered;
    private long _droppedWhileStopped;
    private long _endsEvicted;
    private volatile bool _stopped;
    private volatile Exception? _failure;

    public SinkRunner(IFrameSink sink, int capacity, HandOffMode mode, IPipelineLog log)
    {
        Sink = sink;
        Capacity = capacity;
        _log = log;
        _queue = new HandOff<ComposedFrame>(capacity, mode, ReleaseEvicted);
    }

    public IFrameSink Sink { get; }
    public string Name => Sink.Name;
    public int Capacity { get; }

    /// <summary>Frames offered to this sink (ends of stream not counted).</summary>
    public long Offered => Interlocked.Read(ref _offered);

    /// <summary>Frames this sink lost: evicted from its queue, or offered after it had failed or stopped.</summary>
    public long Dropped => _queue.Dropped - Interlocked.Read(ref _endsEvicted) + Interlocked.Read(ref _droppedWhileStopped);

    /// <summary>Frames waiting in the queue right now.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>What made the sink fail, or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>True when an offer now succeeds: the queue drops the oldest, or has room, or the sink has stopped.</summary>
    public bool HasRoom => _stopped || _queue.Mode == HandOffMode.DropOldest || _queue.Reader.Count < Capacity;

    /// <summary>
    /// Hands the sink a reference to <paramref name="frame"/> (the caller keeps its own). False only when the queue waits
    /// (lockstep) and is full: wait with <see cref="WaitForRoomAsync"/>, then offer again.
    /// </summary>
    public bool TryOffer(ComposedFrame frame)
    {
        ReofferEvictedEnds();
        int counted = frame.IsEndOfStream ? 0 : 1;
        if (_stopped)
        {
            Interlocked.Add(ref _offered, counted);
            Interlocked.Add(ref _droppedWhileStopped, counted);
            return true;
        }
        if (!HasRoom)
        {
            return false;
        }
        frame.AddRef();
        if (_queue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _offered, counted);
            return true;
        }
        frame.Release();
        if (_stopped)
        {
            // The sink stopped between the check and the write (its queue is closed).
            Interlocked.Add(ref _offered, counted);
            Interlocked.Add(ref _droppedWhileStopped, counted);
            return true;
        }
        return false;
    }

    /// <summary>Completes when the queue has room (or the sink stopped, when every offer succeeds).</summary>
    public ValueTask<bool> WaitForRoomAsync() => _queue.Writer.WaitToWriteAsync(CancellationToken.None);

    /// <summary>No more frames: the sink drains its queue and returns.</summary>
    public void Complete()
    {
        ReofferEvictedEnds();
        _queue.Writer.TryComplete();
    }

    /// <summary>The queue's release: an evicted end of stream is kept (its reference with it) to be offered again.</summary>
    private void ReleaseEvicted(ComposedFrame frame)
    {
        if (frame.IsEndOfStream && !_stopped)
        {
            // Not a loss: it goes back in before the next frame.
            Interlocked.Increment(ref _endsEvicted);
            _evictedEnds.Enqueue(frame);
            return;
        }
        frame.Release();
    }

    /// <summary>Writes kept ends of stream back (drop-oldest: each may evict an older frame, which is counted). Single writer: the fan-out.</summary>
    private void ReofferEvictedEnds()
    {
        while (_evictedEnds.TryDequeue(out ComposedFrame? end))
        {
            if (_stopped || !_queue.Writer.TryWrite(end))
            {
                end.Release();
            }
        }
    }

    /// <summary>Runs the sink until its queue is drained (or <paramref name="abort"/>); never throws: a failure is recorded and logged.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        try
        {
            await Sink.RunAsync(_queue.Reader, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Aborted: what is still queued is released below.
        }
        catch (Exception e)
        {
            _failure = e;
            _log.Error($"sink {Name} failed: {e.Message}; the pipeline goes on without it (its frames are counted as dropped)");
        }
        finally
        {
            _stopped = true;
            _queue.Writer.TryComplete();
            DrainAndRelease();
        }
    }

    /// <summary>Releases every frame still queued; called when the sink stopped and once more after the fan-out ended.</summary>
    public void DrainAndRelease()
    {
        int left = _queue.DrainAndRelease();
        while (_evictedEnds.TryDequeue(out ComposedFrame? end))
        {
            end.Release();
        }
        Interlocked.Add(ref _droppedWhileStopped, left);
    }
}
