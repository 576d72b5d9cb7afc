namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// A wake-up for one blocked consumer thread: <see cref="Ring"/> from any thread, <see cref="Wait"/> from the one
/// consumer. Rings while nobody waits coalesce into one pending wake-up, so the waiter re-checks its queues after every
/// wake and may wake spuriously, but never misses a ring that happened after its last check. The flag is the truth and
/// the event only a hint, so a reset can never swallow a ring. Waiting allocates nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Sources may ring after the run ended (a late completion); the event must outlive them and holds no kernel handle unless one is asked for.")]
internal sealed class Doorbell
{
    private readonly ManualResetEventSlim _event = new(initialState: false);
    private int _rung;

    public Doorbell()
    {
        Ring = RingCore;
    }

    /// <summary>The ring as a cached delegate (for <see cref="SignallingWriter{T}"/>), so ringing allocates nothing.</summary>
    public Action Ring { get; }

    /// <summary>Blocks until the bell has rung since the last wait (returns at once when it already had).</summary>
    public void Wait()
    {
        while (Interlocked.Exchange(ref _rung, 0) == 0)
        {
            _event.Wait();
            _event.Reset();
        }
    }

    /// <summary>Takes a pending ring without waiting: true when the bell had rung since the last wait.</summary>
    public bool TryTakeRing() => Interlocked.Exchange(ref _rung, 0) != 0;

    private void RingCore()
    {
        Volatile.Write(ref _rung, 1);
        _event.Set();
    }
}
