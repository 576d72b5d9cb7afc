namespace RealtimeSeg.Core;

/// <summary>
/// What realtime pacing reads and waits on. A run uses <see cref="Monotonic"/>: <see cref="MonotonicClock"/> and a
/// blocking, allocation-free wait. Tests substitute a virtual clock, so that a schedule is checked exactly instead of
/// against the wall clock of a loaded machine.
/// </summary>
public abstract class PacingClock
{
    /// <summary>The monotonic clock, waited on by blocking the calling thread.</summary>
    public static PacingClock Monotonic { get; } = new MonotonicPacingClock();

    /// <summary>Nanoseconds since an arbitrary origin fixed for the clock's life.</summary>
    public abstract long NowNs();

    /// <summary>Blocks until <see cref="NowNs"/> has reached <paramref name="dueNs"/> (true) or <paramref name="ct"/> is cancelled (false).</summary>
    public abstract bool WaitUntil(long dueNs, CancellationToken ct);
}
