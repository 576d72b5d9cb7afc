using System.Diagnostics;

namespace RealtimeSeg.Capture.Network;

/// <summary>
/// Delay before retry N: <c>initial × 2^(N-1)</c> capped at the maximum, then "equal jitter" (a random point in the
/// upper half of that delay), so many clients that lost the same server do not all come back in the same instant.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;

    public ReconnectBackoff(ReconnectOptions options, Random random)
    {
        Debug.Assert(options.InitialDelay > TimeSpan.Zero && options.MaxDelay >= options.InitialDelay);
        _initial = options.InitialDelay;
        _max = options.MaxDelay;
        _random = random;
    }

    /// <summary>The delay before retry <paramref name="failedAttempts"/> (1 after the first failure).</summary>
    public TimeSpan Delay(int failedAttempts)
    {
        Debug.Assert(failedAttempts >= 1);
        // 2^30 × any positive delay exceeds every sane maximum; capping the exponent keeps the arithmetic finite.
        int exponent = Math.Min(failedAttempts - 1, 30);
        double ceilingMs = Math.Min(_max.TotalMilliseconds, _initial.TotalMilliseconds * Math.Pow(2, exponent));
        double jittered = ceilingMs * (0.5 + (0.5 * _random.NextDouble()));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
