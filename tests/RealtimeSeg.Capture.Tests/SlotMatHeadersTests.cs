using OpenCvSharp;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture.Tests;

public sealed class SlotMatHeadersTests
{
    [Fact]
    public void For_SameSlotAgain_ReusesTheHeaderOverTheSlotsMemory()
    {
        using var pool = new FramePool(1, FramePool.BytesForBgr(22, 4));
        using var headers = new SlotMatHeaders(pool.SlotCount);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.SetFormat(22, 4, FramePool.AlignedStride(22));
        Mat first = headers.For(lease);
        lease.Dispose();
        Assert.True(pool.TryRent(out lease));
        lease.SetFormat(22, 4, FramePool.AlignedStride(22));

        Mat second = headers.For(lease);

        Assert.Same(first, second);
        Assert.Equal(lease.Pointer, second.Data);
        Assert.Equal(22, second.Cols);
        Assert.Equal(4, second.Rows);
        Assert.Equal(128, (int)second.Step());
        lease.Dispose();
    }

    [Fact]
    public void For_WritingThroughTheHeader_FillsTheSlotAndRespectsTheStride()
    {
        using var pool = new FramePool(1, FramePool.BytesForBgr(22, 4));
        using var headers = new SlotMatHeaders(pool.SlotCount);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.SetFormat(22, 4, FramePool.AlignedStride(22));
        lease.Pixels.Fill(0xEE);

        headers.For(lease).SetTo(new Scalar(1, 2, 3));

        Span<byte> pixels = lease.Pixels;
        Assert.Equal(new byte[] { 1, 2, 3 }, pixels[..3].ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, pixels.Slice(128 + (21 * 3), 3).ToArray());
        // Row padding beyond 22 * 3 = 66 bytes is not image and must stay untouched.
        Assert.Equal(0xEE, pixels[66]);
        Assert.Equal(0xEE, pixels[127]);
        lease.Dispose();
    }

    [Fact]
    public void For_AfterForget_MakesANewHeader()
    {
        using var pool = new FramePool(1, FramePool.BytesForBgr(8, 8));
        using var headers = new SlotMatHeaders(pool.SlotCount);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.SetFormat(8, 8, 64);
        Mat first = headers.For(lease);

        headers.Forget(lease.SlotIndex);
        Mat second = headers.For(lease);

        Assert.NotSame(first, second);
        Assert.True(first.IsDisposed);
        Assert.Equal(lease.Pointer, second.Data);
        lease.Dispose();
    }
}
