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
    public async Task WaitAsync_RungWhileWaiting_Completes()
    {
        var bell = new Doorbell();
        Task<byte> waiting = bell.WaitAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        bell.Ring();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(bell.TryTakeRing());
    }

    [Fact]
    public void SignallingWriter_WriteAndComplete_RingAfterwards()
    {
        var bell = new Doorbell();
        var channel = Channel.CreateBounded<int>(1);
        var writer = new SignallingWriter<int>(channel.Writer, bell.Ring);

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
