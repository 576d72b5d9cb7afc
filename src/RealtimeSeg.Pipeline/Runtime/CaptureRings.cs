using System.Threading.Channels;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// The hand-off from capture to inference: one bounded ring per stream (drop-oldest, or wait in lockstep), a doorbell
/// every ring's write and completion rings, and the round-robin choice among the rings. Sources write leases through
/// <see cref="Writer"/>; the inference stage takes them through <see cref="Scheduler"/> and sleeps on <see cref="Bell"/>.
/// </summary>
internal sealed class CaptureRings
{
    private readonly HandOff<FrameLease>[] _rings;
    private readonly ChannelWriter<FrameLease>[] _writers;
    private readonly TaskCompletionSource _firstFrame = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<int, Exception?> _onStreamEnded;
    // Filled and drained by the scheduler's one consumer (the thread that preprocesses), so no lock.
    private readonly Queue<(int Stream, Exception? Failure)> _ended;
    private int _anyFrame;

    /// <param name="onStreamEnded">Told once per stream, on the consuming thread, when its ring has completed and emptied.</param>
    public CaptureRings(int streams, int capacity, HandOffMode mode, Action<int, Exception?> onStreamEnded)
    {
        _onStreamEnded = onStreamEnded;
        _ended = new Queue<(int, Exception?)>(streams);
        Bell = new Doorbell();
        _rings = new HandOff<FrameLease>[streams];
        _writers = new ChannelWriter<FrameLease>[streams];
        var readers = new ChannelReader<FrameLease>[streams];
        Action onWrite = OnWrite;
        for (int i = 0; i < streams; i++)
        {
            _rings[i] = new HandOff<FrameLease>(capacity, mode, static lease => lease.Dispose());
            _writers[i] = new SignallingWriter<FrameLease>(_rings[i].Writer, onWrite, Bell.Ring);
            readers[i] = _rings[i].Reader;
        }
        Scheduler = new RoundRobinScheduler(readers, OnEnded);
    }

    public Doorbell Bell { get; }
    public RoundRobinScheduler Scheduler { get; }

    /// <summary>Completes when any stream has delivered its first frame (the start-up watchdog waits on it).</summary>
    public Task FirstFrame => _firstFrame.Task;

    /// <summary>Where stream <paramref name="stream"/>'s source writes its frames.</summary>
    public ChannelWriter<FrameLease> Writer(int stream) => _writers[stream];

    /// <summary>Frames of <paramref name="stream"/> evicted because inference was behind.</summary>
    public long Dropped(int stream) => _rings[stream].Dropped;

    /// <summary>
    /// The next stream whose ring has ended since the last call, and what ended it (null: its source completed or was
    /// stopped). Only on the thread that takes frames through <see cref="Scheduler"/>.
    /// </summary>
    public bool TryTakeEnded(out int stream, out Exception? failure)
    {
        if (_ended.TryDequeue(out (int Stream, Exception? Failure) e))
        {
            (stream, failure) = e;
            return true;
        }
        (stream, failure) = (-1, null);
        return false;
    }

    /// <summary>Completes a stream's ring (a producer that failed before completing it) and wakes the inference stage.</summary>
    public void Complete(int stream, Exception? error)
    {
        _rings[stream].Writer.TryComplete(error);
        Bell.Ring();
    }

    /// <summary>Disposes every lease still queued (after the inference stage stopped). Returns how many.</summary>
    public int DrainAndRelease()
    {
        int n = 0;
        foreach (HandOff<FrameLease> ring in _rings)
        {
            n += ring.DrainAndRelease();
        }
        return n;
    }

    private void OnEnded(int stream, Exception? failure)
    {
        _onStreamEnded(stream, failure);
        _ended.Enqueue((stream, failure));
    }

    private void OnWrite()
    {
        if (Volatile.Read(ref _anyFrame) == 0 && Interlocked.Exchange(ref _anyFrame, 1) == 0)
        {
            _firstFrame.TrySetResult();
        }
        Bell.Ring();
    }
}
