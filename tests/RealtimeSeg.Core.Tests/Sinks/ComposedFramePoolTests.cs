using System.Buffers;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Core.Tests.Sinks;

public sealed class ComposedFramePoolTests
{
    [Fact]
    public void TryRent_EveryFrameOut_ReturnsFalseInsteadOfGrowing()
    {
        var pool = new ComposedFramePool(2);

        Assert.True(pool.TryRent(out ComposedFrame a));
        Assert.True(pool.TryRent(out ComposedFrame b));
        Assert.False(pool.TryRent(out _));

        Assert.Equal(2, pool.Outstanding);
        a.Release();
        b.Release();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Release_LastOfSeveralReferences_ReturnsTheFrameOnlyThen()
    {
        var pool = new ComposedFramePool(1);
        Assert.True(pool.TryRent(out ComposedFrame frame));
        frame.AddRef();
        frame.AddRef();

        frame.Release();
        frame.Release();
        Assert.Equal(1, pool.Outstanding);
        Assert.Equal(1, frame.References);

        frame.Release();
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, frame.References);
    }

    [Fact]
    public void Release_MoreOftenThanReferenced_ThrowsDoubleRelease()
    {
        var pool = new ComposedFramePool(1);
        Assert.True(pool.TryRent(out ComposedFrame frame));
        frame.Release();

        var e = Assert.Throws<InvalidOperationException>(frame.Release);

        Assert.Contains("double release", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.Outstanding); // the pool is not corrupted by the bad release
    }

    [Fact]
    public void Accessors_AfterLastRelease_ThrowObjectDisposed()
    {
        var pool = new ComposedFramePool(1);
        Assert.True(pool.TryRent(out ComposedFrame frame));
        frame.Release();

        Assert.Throws<ObjectDisposedException>(() => frame.Panoptic);
        Assert.Throws<ObjectDisposedException>(() => frame.Message);
        Assert.Throws<ObjectDisposedException>(() => frame.MessageWriter);
        Assert.Throws<ObjectDisposedException>(frame.AddRef);
    }

    [Fact]
    public void AssertNoLeaks_FrameNeverReleased_NamesItAndWhereItWasRented()
    {
        var pool = new ComposedFramePool(3, diagnostics: true);
        Assert.True(pool.TryRent(out ComposedFrame released));
        Assert.True(pool.TryRent(out ComposedFrame leaked));
        released.Release();

        var e = Assert.Throws<InvalidOperationException>(pool.AssertNoLeaks);

        Assert.Contains($"composed frame {leaked.Index}", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AssertNoLeaks_FrameNeverReleased_NamesItAndWhereItWasRented), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"composed frame {released.Index} ", e.Message, StringComparison.Ordinal);
        leaked.Release();
        pool.AssertNoLeaks();
    }

    [Fact]
    public void TryRent_Diagnostics_HandsOutTheFrameReleasedLongestAgoSoAUseAfterReleaseStillThrows()
    {
        var pool = new ComposedFramePool(3, diagnostics: true);
        Assert.True(pool.TryRent(out ComposedFrame first));
        first.Release();

        Assert.True(pool.TryRent(out ComposedFrame next));

        Assert.NotSame(first, next);
        Assert.Throws<ObjectDisposedException>(() => first.Panoptic);
        next.Release();
    }

    [Fact]
    public void TryRent_WithoutDiagnostics_HandsOutTheFrameJustReleased()
    {
        var pool = new ComposedFramePool(3);
        Assert.True(pool.TryRent(out ComposedFrame first));
        first.Release();

        Assert.True(pool.TryRent(out ComposedFrame next));

        Assert.Same(first, next); // warm in cache, and a run that keeps up touches few frames
        next.Release();
    }

    [Fact]
    public void OnRent_ReusedFrame_StartsWithOneReferenceAndAnEmptyMessage()
    {
        var pool = new ComposedFramePool(1);
        Assert.True(pool.TryRent(out ComposedFrame frame));
        frame.MessageWriter.GetSpan(3)[..3].Fill(7);
        frame.MessageWriter.Advance(3);
        frame.Work.EncodeNs = 42;
        frame.Release();

        Assert.True(pool.TryRent(out ComposedFrame again));

        Assert.Equal(1, again.References);
        Assert.Equal(0, again.Message.Length);
        Assert.Equal(0, again.WorkNs);
        again.Release();
    }

    [Fact]
    public void RentWriteRelease_WarmedUp_AllocatesNothing()
    {
        var pool = new ComposedFramePool(2, mapCells: 64 * 36);
        byte[] message = new byte[20_000];

        void Cycle()
        {
            for (int i = 0; i < 100; i++)
            {
                pool.TryRent(out ComposedFrame frame);
                frame.Panoptic.Reset(64, 36);
                frame.MessageWriter.Write(message);
                frame.AddRef();
                frame.Release();
                frame.Release();
            }
        }

        Cycle();
        Assert.Equal(0, AllocationProbe.MinAllocatedBytes(Cycle));
    }
}
