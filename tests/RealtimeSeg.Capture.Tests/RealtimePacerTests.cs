using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests;

/// <summary>The pacer's schedule on a virtual clock (exact, whatever the load); the monotonic clock's wait is covered by PacingClockTests.</summary>
public sealed class RealtimePacerTests
{
    private static long Ms(double ms) => (long)(ms * 1_000_000);

    [Fact]
    public void WaitUntilDue_FirstFrame_DoesNotWait()
    {
        var clock = new VirtualPacingClock();
        var pacer = new RealtimePacer(0.5, clock: clock);
        long start = clock.NowNs();

        Assert.True(pacer.WaitUntilDue(7, CancellationToken.None));

        // The first frame anchors the schedule wherever its index is: frame 7 of a 2 s period would be 14 s away.
        Assert.Equal(start, clock.NowNs());
        Assert.Equal(0, clock.Waits);
    }

    [Fact]
    public void WaitUntilDue_TenFramesAt100Fps_SpanExactlyTheirSchedule()
    {
        var clock = new VirtualPacingClock();
        var pacer = new RealtimePacer(100, clock: clock);
        long start = clock.NowNs();

        for (int i = 0; i < 10; i++)
        {
            Assert.True(pacer.WaitUntilDue(i, CancellationToken.None));
        }

        Assert.Equal(Ms(90), clock.NowNs() - start);
        Assert.Equal(9, clock.Waits);
    }

    [Fact]
    public void WaitUntilDue_SlowWorkBetweenFrames_DoesNotAccumulateDrift()
    {
        var clock = new VirtualPacingClock();
        var pacer = new RealtimePacer(50, clock: clock);
        Assert.True(pacer.WaitUntilDue(0, CancellationToken.None));
        long start = clock.NowNs();

        for (int i = 1; i <= 10; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(15));
            Assert.True(pacer.WaitUntilDue(i, CancellationToken.None));
        }

        // Absolute deadlines: 15 ms of "decode" per 20 ms frame is absorbed, so ten frames end at 200 ms; sleeping
        // 1/fps after each frame would have drifted to 350 ms.
        Assert.Equal(Ms(200), clock.NowNs() - start);
    }

    [Fact]
    public void WaitUntilDue_Cancelled_ReturnsFalse()
    {
        // The real clock: the wait for frame 1 (10 s away) must give way to the cancellation.
        var pacer = new RealtimePacer(0.1);
        using var cts = new CancellationTokenSource();
        Assert.True(pacer.WaitUntilDue(0, cts.Token));
        cts.CancelAfter(50);

        bool due = pacer.WaitUntilDue(1, cts.Token);

        Assert.False(due);
    }

    [Fact]
    public void WaitUntilDue_FarBehindSchedule_RestartsInsteadOfBursting()
    {
        var clock = new VirtualPacingClock();
        var pacer = new RealtimePacer(20, restartWhenLateNs: Ms(100), clock: clock);
        Assert.True(pacer.WaitUntilDue(0, CancellationToken.None));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.True(pacer.WaitUntilDue(1, CancellationToken.None));
        long restarted = clock.NowNs();

        Assert.True(pacer.WaitUntilDue(2, CancellationToken.None));

        // Restarted at frame 1, so frame 2 is one 50 ms period later; on the old schedule it was 200 ms overdue.
        Assert.Equal(Ms(50), clock.NowNs() - restarted);
    }

    [Fact]
    public void WaitUntilDue_SlightlyBehindSchedule_CatchesUpWithoutWaiting()
    {
        var clock = new VirtualPacingClock();
        var pacer = new RealtimePacer(20, restartWhenLateNs: Ms(100), clock: clock);
        Assert.True(pacer.WaitUntilDue(0, CancellationToken.None));
        clock.Advance(TimeSpan.FromMilliseconds(80));
        long behind = clock.NowNs();

        // 30 ms late for frame 1 (due at 50 ms), within the restart threshold: the schedule stands.
        Assert.True(pacer.WaitUntilDue(1, CancellationToken.None));
        Assert.Equal(behind, clock.NowNs());
        Assert.True(pacer.WaitUntilDue(2, CancellationToken.None));

        Assert.Equal(Ms(100), clock.NowNs() - (behind - Ms(80)));
    }
}
