namespace RealtimeSeg.Core;

/// <summary><see cref="PacingClock.Monotonic"/>: <see cref="MonotonicClock"/>, waited on with the cancellation token's wait handle.</summary>
internal sealed class MonotonicPacingClock : PacingClock
{
    public override long NowNs() => MonotonicClock.NowNs();

    public override bool WaitUntil(long dueNs, CancellationToken ct)
    {
        long now = MonotonicClock.NowNs();
        while (now < dueNs)
        {
            // Round up: being up to a millisecond late beats spinning a core on a 2-core machine.
            if (ct.WaitHandle.WaitOne((int)((dueNs - now + 999_999) / 1_000_000)))
            {
                return false;
            }
            now = MonotonicClock.NowNs();
        }
        return !ct.IsCancellationRequested;
    }
}
