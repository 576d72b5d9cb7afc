using RealtimeSeg.Frames;

namespace RealtimeSeg.Frames.Tests;

public sealed class FramePoolAllocationTests
{
    [Fact]
    public void TryRentAndDispose_AfterWarmUp_AllocatesNothing()
    {
        using var pool = new FramePool(4, 1024);
        RentReturnLoop(pool, 1_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RentReturnLoop(pool, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TryWrite_DropOldestEviction_AfterWarmUp_AllocatesNothing()
    {
        using var pool = new FramePool(4, 1024);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static lease => lease.Dispose());
        EvictLoop(pool, handOff, 1_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        EvictLoop(pool, handOff, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11_000 - 1, handOff.Dropped);
        Assert.Equal(1, handOff.DrainAndRelease());
        pool.AssertNoLeaks();
    }

    [Fact]
    public void TryRent_Exhausted_AllocatesNothing()
    {
        using var pool = new FramePool(1, 1024);
        Assert.True(pool.TryRent(out FrameLease held));
        Assert.False(pool.TryRent(out _));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            Assert.False(pool.TryRent(out _));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        held.Dispose();
    }

    private static void RentReturnLoop(FramePool pool, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!pool.TryRent(out FrameLease lease))
            {
                throw new InvalidOperationException("the pool should never run dry in this loop");
            }
            lease.SetFormat(8, 8, 64);
            lease.Pixels[0] = (byte)i;
            lease.Dispose();
        }
    }

    private static void EvictLoop(FramePool pool, HandOff<FrameLease> handOff, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (!pool.TryRent(out FrameLease lease) || !handOff.Writer.TryWrite(lease))
            {
                throw new InvalidOperationException("renting and writing to a drop-oldest hand-off should always succeed here");
            }
        }
    }
}
