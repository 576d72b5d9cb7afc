namespace RealtimeSeg.Core.Tests;

/// <summary>
/// The monotonic pacing clock's wait, on the real clock. Only what load cannot change is asserted: a wait never ends
/// before its due time (a loaded machine can only make it later) and it gives way to cancellation.
/// </summary>
public sealed class PacingClockTests
{
    [Fact]
    public void WaitUntil_DueIn30Ms_ReturnsTrueNoEarlierThanDue()
    {
        PacingClock clock = PacingClock.Monotonic;
        long due = clock.NowNs() + 30_000_000;

        Assert.True(clock.WaitUntil(due, CancellationToken.None));

        Assert.True(clock.NowNs() >= due, $"returned {(due - clock.NowNs()) / 1e6:0.000} ms early");
    }

    [Fact]
    public void WaitUntil_CancelledWhileWaiting_ReturnsFalse()
    {
        PacingClock clock = PacingClock.Monotonic;
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(50);

        bool reached = clock.WaitUntil(clock.NowNs() + (long)TimeSpan.FromMinutes(10).TotalNanoseconds, cts.Token);

        Assert.False(reached);
    }

    [Fact]
    public void WaitUntil_AlreadyCancelled_ReturnsFalseEvenWhenDue()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.False(PacingClock.Monotonic.WaitUntil(PacingClock.Monotonic.NowNs() - 1, cts.Token));
    }
}
