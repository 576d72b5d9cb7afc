using System.Diagnostics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture;

/// <summary>
/// Schedules frame N at origin + N / fps on the monotonic clock, where the origin is the first frame's time. Each
/// wait targets an absolute time, so however long decoding takes, errors do not add up into drift.
/// <para>Reads and waits on a <see cref="PacingClock"/>: the monotonic clock in a run, a virtual one in tests.</para>
/// </summary>
internal sealed class RealtimePacer
{
    // Further behind than this (a debugger pause, a stalled disk), the schedule restarts from now instead of
    // bursting through the backlog as fast as it can.
    private const long DefaultRestartWhenLateNs = 1_000_000_000;

    private readonly long _periodNs;
    private readonly long _restartWhenLateNs;
    private readonly PacingClock _clock;
    private long _originNs = long.MinValue;

    public RealtimePacer(double framesPerSecond, long restartWhenLateNs = DefaultRestartWhenLateNs, PacingClock? clock = null)
    {
        Debug.Assert(framesPerSecond > 0 && double.IsFinite(framesPerSecond));
        Debug.Assert(restartWhenLateNs > 0);
        _periodNs = (long)Math.Round(1_000_000_000.0 / framesPerSecond);
        _restartWhenLateNs = restartWhenLateNs;
        _clock = clock ?? PacingClock.Monotonic;
    }

    public long PeriodNs => _periodNs;

    /// <summary>Blocks until frame <paramref name="frameIndex"/> is due. False when <paramref name="ct"/> was cancelled.</summary>
    public bool WaitUntilDue(long frameIndex, CancellationToken ct)
    {
        long now = _clock.NowNs();
        if (_originNs == long.MinValue || now - Due(frameIndex) > _restartWhenLateNs)
        {
            _originNs = now - (frameIndex * _periodNs);
            return !ct.IsCancellationRequested;
        }
        if (!_clock.WaitUntil(Due(frameIndex), ct))
        {
            return false;
        }
        AssertInvariants();
        return true;
    }

    private long Due(long frameIndex) => _originNs + (frameIndex * _periodNs);

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_periodNs > 0, "the frame period must be positive");
        Debug.Assert(_originNs != long.MinValue, "the schedule starts at the first frame");
    }
}
