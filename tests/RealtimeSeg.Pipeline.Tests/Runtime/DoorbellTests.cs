using System.Threading.Channels;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

public sealed class DoorbellTests
{
    [Fact]
    public void TryTakeRing_TwoRingsBeforeWaiting_CoalesceIntoOne()
    {
        var bell = new Doorbell();
        Assert.False(bell.TryTakeRing());
        bell.Ring();
        bell.Ring();
        Assert.True(bell.TryTakeRing());
        Assert.False(bell.TryTakeRing());
    }

    [Fact]
    public void Wait_RungBefore_ReturnsAtOnceAndConsumesTheRing()
    {
        var bell = new Doorbell();
        bell.Ring();

        bell.Wait(); // would block forever if the ring had been lost

        Assert.False(bell.TryTakeRing());
    }

    [Fact]
    public void Wait_RungFromAnotherThreadWhileWaiting_Returns()
    {
        var bell = new Doorbell();
        using var waiting = new ManualResetEventSlim();
        var waiter = new Thread(() =>
        {
            waiting.Set();
            bell.Wait();
        });
        waiter.Start();
        waiting.Wait();

        bell.Ring();

        Assert.True(waiter.Join(TimeSpan.FromSeconds(30)), "the waiter was not woken");
        Assert.False(bell.TryTakeRing());
    }

    [Fact]
    public void Wait_ManyRingsRacingManyWaits_NeverLosesARing()
    {
        // A ring after the waiter's last check must wake it: 10 000 hand-offs in lockstep would hang on a lost one.
        var bell = new Doorbell();
        var back = new Doorbell();
        const int rounds = 10_000;
        var ringer = new Thread(() =>
        {
            for (int i = 0; i < rounds; i++)
            {
                bell.Ring();
                back.Wait();
            }
        });
        ringer.Start();
        for (int i = 0; i < rounds; i++)
        {
            bell.Wait();
            back.Ring();
        }

        Assert.True(ringer.Join(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void SignallingWriter_WriteAndComplete_RingAfterwards()
    {
        var bell = new Doorbell();
        var channel = Channel.CreateBounded<int>(1);
        var writer = new SignallingWriter<int>(channel.Writer, bell.Ring, bell.Ring);

        Assert.True(writer.TryWrite(7));
        Assert.True(bell.TryTakeRing());
        Assert.False(writer.TryWrite(8));           // full: no write, no ring
        Assert.False(bell.TryTakeRing());

        Assert.True(writer.TryComplete());
        Assert.True(bell.TryTakeRing());
        Assert.True(channel.Reader.TryRead(out int v) && v == 7);
        Assert.True(channel.Reader.Completion.IsCompleted);
    }
}
