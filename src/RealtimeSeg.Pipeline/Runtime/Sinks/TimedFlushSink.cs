using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// Base of the text-dump sinks (<c>--dump-mot</c>, <c>--dump-detections</c>): their rows reach the operating system at a
/// frame's end once <see cref="FlushInterval"/> has passed since the last flush, or when no frame came for a quarter of
/// it, and at the end — so <c>kill -9</c> loses at most about the last second of rows. Whole rows only: the writers
/// (<see cref="Formats.Mot.MotTrackWriter.Create"/>) never hand over half a row.
/// </summary>
internal abstract class TimedFlushSink : ThreadedFrameSink
{
    /// <summary>The longest a written row waits before it reaches the operating system.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly long _flushIntervalNs = (long)FlushInterval.TotalNanoseconds;
    private long _nextFlushNs;
    private bool _pending;

    protected override TimeSpan IdleInterval => FlushInterval / 4;

    /// <summary>Writes the frame's rows (sink thread); true when it wrote any.</summary>
    protected abstract bool WriteRows(ComposedFrame frame);

    /// <summary>Hands every written row to the operating system.</summary>
    protected abstract void FlushRows();

    /// <summary>Starts the flush clock (call from <see cref="IFrameSink.StartAsync"/> once the files are open).</summary>
    protected void StartClock() => _nextFlushNs = MonotonicClock.NowNs() + _flushIntervalNs;

    protected sealed override void Write(ComposedFrame frame)
    {
        _pending |= WriteRows(frame);
        if (MonotonicClock.NowNs() >= _nextFlushNs)
        {
            Flush();
        }
    }

    protected sealed override void OnIdle()
    {
        if (_pending)
        {
            Flush();
        }
    }

    protected sealed override void Complete() => Flush();

    private void Flush()
    {
        FlushRows();
        _pending = false;
        _nextFlushNs = MonotonicClock.NowNs() + _flushIntervalNs;
    }
}
