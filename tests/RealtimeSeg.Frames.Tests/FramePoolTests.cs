using RealtimeSeg.Frames;

namespace RealtimeSeg.Frames.Tests;

public sealed class FramePoolTests
{
    private const int SlotBytes = 4096;

    [Fact]
    public void TryRent_FreshPool_ReturnsValidLeaseAndTakesOneSlot()
    {
        using var pool = new FramePool(3, SlotBytes);

        Assert.True(pool.TryRent(out FrameLease lease));

        Assert.True(lease.IsValid);
        Assert.Equal(2, pool.Available);
        Assert.Equal(1, pool.Outstanding);
        Assert.Equal(SlotBytes, lease.CapacityBytes);
        lease.Dispose();
    }

    [Fact]
    public void Dispose_RentedLease_ReturnsSlotToPool()
    {
        using var pool = new FramePool(2, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));

        lease.Dispose();

        Assert.Equal(2, pool.Available);
        Assert.Equal(0, pool.Outstanding);
        Assert.False(lease.IsValid);
        pool.AssertNoLeaks();
    }

    [Fact]
    public void TryRent_ReturnedSlot_IsRentedAgainWithFreshGeometry()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease first));
        first.SetFormat(16, 8, 64);
        first.Metadata = new Core.FrameMetadata(1, 7, 8, 9, 16, 8);
        int index = first.SlotIndex;
        first.Dispose();

        Assert.True(pool.TryRent(out FrameLease second));

        // A new owner must not inherit the previous frame's geometry or metadata.
        Assert.Equal(index, second.SlotIndex);
        Assert.Equal(0, second.Width);
        Assert.Equal(0, second.Height);
        Assert.Equal(0, second.Stride);
        Assert.Equal(default, second.Metadata);
        Assert.Equal(0, second.Pixels.Length);
        second.Dispose();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1000)]
    [InlineData(4, 1280 * 720 * 3)]
    [InlineData(7, 777_777)]
    public void TryRent_EverySlot_Is64ByteAlignedAndDisjoint(int slotCount, int slotBytes)
    {
        using var pool = new FramePool(slotCount, slotBytes);
        var leases = new FrameLease[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            Assert.True(pool.TryRent(out leases[i]));
        }

        Assert.Equal(0, pool.SlotBytes % FramePool.Alignment);
        Assert.True(pool.SlotBytes >= slotBytes);
        for (int i = 0; i < slotCount; i++)
        {
            Assert.Equal(0, leases[i].Pointer.ToInt64() % FramePool.Alignment);
            Assert.Equal(pool.SlotBytes, leases[i].CapacityBytes);
            for (int j = 0; j < i; j++)
            {
                long a = leases[i].Pointer.ToInt64();
                long b = leases[j].Pointer.ToInt64();
                Assert.True(a + pool.SlotBytes <= b || b + pool.SlotBytes <= a, $"slots {i} and {j} overlap");
            }
        }
        foreach (FrameLease lease in leases)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public void TryRent_AllSlotsOut_ReturnsFalseWithDefaultLease()
    {
        using var pool = new FramePool(2, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease a));
        Assert.True(pool.TryRent(out FrameLease b));

        bool rented = pool.TryRent(out FrameLease c);

        Assert.False(rented);
        Assert.False(c.IsValid);
        Assert.Equal(0, pool.Available);
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void TryRent_AfterExhaustionAndReturn_SucceedsAgain()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease a));
        Assert.False(pool.TryRent(out _));
        a.Dispose();

        Assert.True(pool.TryRent(out FrameLease b));

        b.Dispose();
    }

    [Fact]
    public void TryRent_AfterPoolDisposed_ThrowsObjectDisposedException()
    {
        var pool = new FramePool(1, SlotBytes);
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.TryRent(out _));
    }

    [Fact]
    public void Pointer_LeaseLeakedPastPoolDispose_ThrowsObjectDisposedException()
    {
        var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));

        pool.Dispose();

        // The native memory is gone: the stale lease must fail loudly rather than hand out a dangling pointer.
        Assert.False(lease.IsValid);
        Assert.Throws<ObjectDisposedException>(() => lease.Pointer);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(-1, 100)]
    [InlineData(1, 0)]
    [InlineData(1, -5)]
    public void Constructor_NonPositiveSize_ThrowsArgumentOutOfRange(int slotCount, int slotBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FramePool(slotCount, slotBytes));
    }

    [Theory]
    [InlineData(1280, 3840)]
    [InlineData(768, 2304)]
    [InlineData(1, 64)]
    [InlineData(22, 128)]
    [InlineData(960, 2880)]
    public void AlignedStride_Width_RoundsRowUpTo64Bytes(int width, int expected)
    {
        Assert.Equal(expected, FramePool.AlignedStride(width));
    }

    [Fact]
    public void BytesForBgr_Size_IsAlignedStrideTimesHeight()
    {
        Assert.Equal(128 * 10, FramePool.BytesForBgr(22, 10));
        Assert.Equal(3840 * 720, FramePool.BytesForBgr(1280, 720));
    }

    [Fact]
    public void Dispose_PoolTwice_IsHarmless()
    {
        var pool = new FramePool(1, SlotBytes);
        pool.Dispose();

        Exception? second = Record.Exception(pool.Dispose);

        Assert.Null(second);
    }
}
