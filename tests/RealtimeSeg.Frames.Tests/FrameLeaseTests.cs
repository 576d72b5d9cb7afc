using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Frames.Tests;

public sealed class FrameLeaseTests
{
    private const int SlotBytes = 64 * 40;

    [Fact]
    public void SetFormat_FittingFrame_ExposesGeometryAndPixelSpan()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));

        lease.SetFormat(20, 30, 64);

        Assert.Equal(20, lease.Width);
        Assert.Equal(30, lease.Height);
        Assert.Equal(64, lease.Stride);
        Assert.Equal(30 * 64, lease.Pixels.Length);
        lease.Dispose();
    }

    [Fact]
    public unsafe void Pixels_Written_AreVisibleThroughPointer()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.SetFormat(4, 2, 64);

        lease.Pixels[65] = 0xAB;

        Assert.Equal(0xAB, ((byte*)lease.Pointer)[65]);
        lease.Dispose();
    }

    [Fact]
    public void SetFormat_FrameLargerThanSlot_ThrowsArgumentException()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));

        Assert.Throws<ArgumentException>(() => lease.SetFormat(20, 41, 64));

        lease.Dispose();
    }

    [Theory]
    [InlineData(0, 1, 64)]
    [InlineData(1, 0, 64)]
    [InlineData(22, 1, 65)]
    public void SetFormat_InvalidGeometry_ThrowsArgumentOutOfRange(int width, int height, int stride)
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));

        // Width 22 needs 66 bytes a row, so a 65-byte stride cannot hold it.
        Assert.Throws<ArgumentOutOfRangeException>(() => lease.SetFormat(width, height, stride));

        lease.Dispose();
    }

    [Fact]
    public void Metadata_Set_RoundTrips()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));
        var metadata = new FrameMetadata(2, 41, 1_700_000_000_000_000_000, 123_456, 640, 480);

        lease.Metadata = metadata;

        Assert.Equal(metadata, lease.Metadata);
        lease.Dispose();
    }

    [Fact]
    public void Pixels_AfterDispose_ThrowsObjectDisposedException()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.SetFormat(4, 4, 64);
        lease.Dispose();

        Assert.Throws<ObjectDisposedException>(() => lease.Pixels.Length);
    }

    [Fact]
    public void Members_AfterDispose_AllThrowObjectDisposedException()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.Dispose();

        Assert.Throws<ObjectDisposedException>(() => lease.Pointer);
        Assert.Throws<ObjectDisposedException>(() => lease.Width);
        Assert.Throws<ObjectDisposedException>(() => lease.Height);
        Assert.Throws<ObjectDisposedException>(() => lease.Stride);
        Assert.Throws<ObjectDisposedException>(() => lease.SlotIndex);
        Assert.Throws<ObjectDisposedException>(() => lease.Metadata);
        Assert.Throws<ObjectDisposedException>(() => lease.Metadata = default);
        Assert.Throws<ObjectDisposedException>(() => lease.SetFormat(1, 1, 64));
    }

    [Fact]
    public void Dispose_Twice_ThrowsInvalidOperationException()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.Dispose();

        Assert.Throws<InvalidOperationException>(lease.Dispose);
        Assert.Equal(1, pool.Available);
    }

    [Fact]
    public void Dispose_CopyOfDisposedLease_ThrowsInvalidOperationException()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease lease));
        FrameLease copy = lease;
        lease.Dispose();

        Assert.False(copy.IsValid);
        Assert.Throws<InvalidOperationException>(copy.Dispose);
    }

    [Fact]
    public void Dispose_StaleLeaseAfterSlotReRented_ThrowsAndLeavesNewOwnerIntact()
    {
        using var pool = new FramePool(1, SlotBytes);
        Assert.True(pool.TryRent(out FrameLease stale));
        stale.Dispose();
        Assert.True(pool.TryRent(out FrameLease current));

        Assert.Throws<InvalidOperationException>(stale.Dispose);
        Assert.Throws<ObjectDisposedException>(() => stale.Pointer);

        // The stale dispose must not have put the new owner's slot back on the free list.
        Assert.True(current.IsValid);
        Assert.Equal(0, pool.Available);
        Assert.False(pool.TryRent(out _));
        current.Dispose();
    }

    [Fact]
    public void Default_Lease_IsInvalidAndThrowsOnUse()
    {
        FrameLease lease = default;

        Assert.False(lease.IsValid);
        Assert.Throws<ObjectDisposedException>(() => lease.Pointer);
        Assert.Throws<ObjectDisposedException>(() => lease.Pixels.Length);
    }

    [Fact]
    public void Dispose_DefaultLease_DoesNothing()
    {
        using var pool = new FramePool(1, SlotBytes);
        FrameLease lease = default;

        Exception? ex = Record.Exception(lease.Dispose);

        Assert.Null(ex);
        Assert.Equal(1, pool.Available);
    }
}
