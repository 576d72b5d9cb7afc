using System.Diagnostics;

namespace RealtimeSeg.Capture.Tests;

public sealed class RealtimePacerTests
{
    [Fact]
    public void WaitUntilDue_FirstFrame_DoesNotWait()
    {
        var pacer = new RealtimePacer(0.5);
        var clock = Stopwatch.StartNew();

        Assert.True(pacer.WaitUntilDue(7, CancellationToken.None));

        // The first frame anchors the schedule wherever its index is; a 2 s period would show if it waited.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public void WaitUntilDue_TenFramesAt100Fps_SpanAtLeastTheirSchedule()
    {
        var pacer = new RealtimePacer(100);
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < 10; i++)
        {
            Assert.True(pacer.WaitUntilDue(i, CancellationToken.None));
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(89), $"9 periods of 10 ms took {clock.Elapsed.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public void WaitUntilDue_SlowWorkBetweenFrames_DoesNotAccumulateDrift()
    {
        var pacer = new RealtimePacer(50);
        Assert.True(pacer.WaitUntilDue(0, CancellationToken.None));
        var clock = Stopwatch.StartNew();

        for (int i = 1; i <= 10; i++)
        {
            Thread.Sleep(15);
            Assert.True(pacer.WaitUntilDue(i, CancellationToken.None));
        }

        // Absolute deadlines: 15 ms of "decode" per 20 ms frame is absorbed, so ten frames end near 200 ms, not 350.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(195), $"{clock.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(345), $"sleep(1/fps) per frame would have drifted to 350 ms; took {clock.Elapsed.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public void WaitUntilDue_Cancelled_ReturnsFalse()
    {
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
        var pacer = new RealtimePacer(20, restartWhenLateNs: 100_000_000);
        Assert.True(pacer.WaitUntilDue(0, CancellationToken.None));
        Thread.Sleep(300);
        Assert.True(pacer.WaitUntilDue(1, CancellationToken.None));
        var clock = Stopwatch.StartNew();

        Assert.True(pacer.WaitUntilDue(2, CancellationToken.None));

        // Restarted at frame 1, so frame 2 is one 50 ms period later; on the old schedule it was long overdue.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(40), $"frame 2 came after {clock.Elapsed.TotalMilliseconds:0.0} ms");
    }
}
