using RealtimeSeg.Frames;

namespace RealtimeSeg.Frames.Tests;

public sealed class HandOffTests
{
    private static readonly Action<FrameLease> DisposeLease = static lease => lease.Dispose();

    [Fact]
    public void TryWrite_DropOldestFull_EvictsOldestReturnsItsSlotAndCounts()
    {
        using var pool = new FramePool(4, 256, diagnostics: true);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.DropOldest, DisposeLease);
        FrameLease[] leases = RentTagged(pool, 3);

        Assert.True(handOff.Writer.TryWrite(leases[0]));
        Assert.True(handOff.Writer.TryWrite(leases[1]));
        Assert.True(handOff.Writer.TryWrite(leases[2]));

        Assert.Equal(1, handOff.Dropped);
        Assert.False(leases[0].IsValid);
        Assert.Equal(2, pool.Available);
        Assert.True(handOff.Reader.TryRead(out FrameLease a));
        Assert.True(handOff.Reader.TryRead(out FrameLease b));
        Assert.Equal(1, a.Metadata.Sequence);
        Assert.Equal(2, b.Metadata.Sequence);
        a.Dispose();
        b.Dispose();
        pool.AssertNoLeaks();
    }

    [Fact]
    public void TryWrite_DropOldestWithinCapacity_DropsNothing()
    {
        using var pool = new FramePool(2, 256, diagnostics: true);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.DropOldest, DisposeLease);
        FrameLease[] leases = RentTagged(pool, 2);

        Assert.True(handOff.Writer.TryWrite(leases[0]));
        Assert.True(handOff.Writer.TryWrite(leases[1]));

        Assert.Equal(0, handOff.Dropped);
        Assert.Equal(2, handOff.DrainAndRelease());
        pool.AssertNoLeaks();
    }

    [Fact]
    public async Task WriteAsync_WaitModeFull_WaitsForTheReaderAndDropsNothing()
    {
        using var pool = new FramePool(3, 256, diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, DisposeLease);
        FrameLease[] leases = RentTagged(pool, 3);
        Assert.True(handOff.Writer.TryWrite(leases[0]));

        Assert.False(handOff.Writer.TryWrite(leases[1]));
        ValueTask pending = handOff.Writer.WriteAsync(leases[1]);
        Assert.False(pending.IsCompleted);

        Assert.True(handOff.Reader.TryRead(out FrameLease first));
        await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(handOff.Reader.TryRead(out FrameLease second));

        Assert.Equal(0, first.Metadata.Sequence);
        Assert.Equal(1, second.Metadata.Sequence);
        Assert.Equal(0, handOff.Dropped);
        Assert.True(leases[2].IsValid);
        first.Dispose();
        second.Dispose();
        leases[2].Dispose();
        pool.AssertNoLeaks();
    }

    [Fact]
    public void DrainAndRelease_QueuedLeases_ReturnsEverySlotAndCount()
    {
        using var pool = new FramePool(3, 256, diagnostics: true);
        var handOff = new HandOff<FrameLease>(3, HandOffMode.Wait, DisposeLease);
        foreach (FrameLease lease in RentTagged(pool, 3))
        {
            Assert.True(handOff.Writer.TryWrite(lease));
        }
        handOff.Writer.Complete();

        int released = handOff.DrainAndRelease();

        Assert.Equal(3, released);
        Assert.Equal(3, pool.Available);
        Assert.Equal(0, handOff.Dropped);
        pool.AssertNoLeaks();
    }

    [Fact]
    public void DrainAndRelease_Empty_ReturnsZero()
    {
        var handOff = new HandOff<FrameLease>(2, HandOffMode.DropOldest, DisposeLease);

        Assert.Equal(0, handOff.DrainAndRelease());
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HandOff<FrameLease>(0, HandOffMode.Wait, DisposeLease));
        Assert.Throws<ArgumentNullException>(() => new HandOff<FrameLease>(1, HandOffMode.Wait, null!));
    }

    [Fact]
    public void Mode_Constructed_IsReported()
    {
        Assert.Equal(HandOffMode.Wait, new HandOff<int>(1, HandOffMode.Wait, static _ => { }).Mode);
        Assert.Equal(HandOffMode.DropOldest, new HandOff<int>(1, HandOffMode.DropOldest, static _ => { }).Mode);
    }

    private static FrameLease[] RentTagged(FramePool pool, int count)
    {
        var leases = new FrameLease[count];
        for (int i = 0; i < count; i++)
        {
            Assert.True(pool.TryRent(out leases[i]));
            leases[i].Metadata = new Core.FrameMetadata(0, i, 0, 0, 0, 0);
        }
        return leases;
    }
}
