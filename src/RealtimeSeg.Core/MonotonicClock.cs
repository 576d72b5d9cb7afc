using System.Diagnostics;

namespace RealtimeSeg.Core;

/// <summary>Nanosecond readings of the monotonic clock (for intervals) and of UTC wall time (for the wire).</summary>
public static class MonotonicClock
{
    private static readonly double NsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    /// <summary>Monotonic nanoseconds since an arbitrary origin fixed for the process's life.</summary>
    public static long NowNs() => (long)(Stopwatch.GetTimestamp() * NsPerTick);

    /// <summary>Nanoseconds since the Unix epoch, UTC.</summary>
    public static long UtcNowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static double ToMilliseconds(long ns) => ns / 1_000_000.0;
}
