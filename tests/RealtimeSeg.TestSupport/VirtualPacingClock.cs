using RealtimeSeg.Core;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A pacing clock that moves only when told to: a wait jumps straight to its due time, and a test advances it by hand
/// to stand for work between frames. A schedule is then checked exactly, and at once, whatever the machine's load.
/// </summary>
public sealed class VirtualPacingClock : PacingClock
{
    private readonly Lock _gate = new();
    private long _nowNs;
    private int _waits;

    /// <summary>Starts at a non-zero time, so that a schedule never depends on the clock's origin being zero.</summary>
    public VirtualPacingClock(long startNs = 1_000_000_000)
    {
        _nowNs = startNs;
    }

    /// <summary>Waits that had to move the clock forward (a wait for a time already reached does not count).</summary>
    public int Waits
    {
        get
        {
            lock (_gate)
            {
                return _waits;
            }
        }
    }

    public override long NowNs()
    {
        lock (_gate)
        {
            return _nowNs;
        }
    }

    /// <summary>Moves the clock forward, as time spent working would.</summary>
    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _nowNs += (long)by.TotalNanoseconds;
        }
    }

    public override bool WaitUntil(long dueNs, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return false;
        }
        lock (_gate)
        {
            if (dueNs > _nowNs)
            {
                _nowNs = dueNs;
                _waits++;
            }
        }
        return true;
    }
}
