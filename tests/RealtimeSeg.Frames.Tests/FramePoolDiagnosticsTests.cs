using System.Runtime.CompilerServices;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Frames.Tests;

public sealed class FramePoolDiagnosticsTests
{
    [Fact]
    public void AssertNoLeaks_DiagnosticPoolWithLeak_NamesSlotAndRentSite()
    {
        using var pool = new FramePool(3, 256, diagnostics: true);
        Assert.True(pool.TryRent(out FrameLease returned));
        FrameLease leaked = RentForLeak(pool);
        returned.Dispose();

        var ex = Assert.Throws<FramePoolLeakException>(pool.AssertNoLeaks);

        Assert.Contains($"slot {leaked.SlotIndex} rented at", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RentForLeak), ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 of 3", ex.Message, StringComparison.Ordinal);
        leaked.Dispose();
    }

    [Fact]
    public void AssertNoLeaks_DiagnosticPoolAllReturned_DoesNotThrow()
    {
        using var pool = new FramePool(2, 256, diagnostics: true);
        Assert.True(pool.TryRent(out FrameLease a));
        Assert.True(pool.TryRent(out FrameLease b));
        a.Dispose();
        b.Dispose();

        Exception? ex = Record.Exception(pool.AssertNoLeaks);

        Assert.Null(ex);
    }

    [Fact]
    public void AssertNoLeaks_PlainPoolWithLeak_NamesSlotWithoutRentSite()
    {
        using var pool = new FramePool(2, 256);
        Assert.True(pool.TryRent(out FrameLease leaked));

        var ex = Assert.Throws<FramePoolLeakException>(pool.AssertNoLeaks);

        Assert.Contains($"slot {leaked.SlotIndex} rented at", ex.Message, StringComparison.Ordinal);
        Assert.Contains("enable diagnostics", ex.Message, StringComparison.Ordinal);
        leaked.Dispose();
    }

    [Fact]
    public void AssertNoLeaks_SlotRentedAgainAfterReturn_ReportsTheNewRentSite()
    {
        using var pool = new FramePool(1, 256, diagnostics: true);
        Assert.True(pool.TryRent(out FrameLease first));
        first.Dispose();
        FrameLease second = RentForLeak(pool);

        var ex = Assert.Throws<FramePoolLeakException>(pool.AssertNoLeaks);

        Assert.Contains(nameof(RentForLeak), ex.Message, StringComparison.Ordinal);
        second.Dispose();
    }

    [Fact]
    public void Dispose_DiagnosticPoolWithLeak_ThrowsFramePoolLeakException()
    {
        var pool = new FramePool(2, 256, diagnostics: true);
        FrameLease leaked = RentForLeak(pool);
        int slot = leaked.SlotIndex;

        var ex = Assert.Throws<FramePoolLeakException>(pool.Dispose);

        Assert.Contains($"slot {slot} rented at", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RentForLeak), ex.Message, StringComparison.Ordinal);
        // The memory is freed regardless, so the leaked lease cannot touch it.
        Assert.Throws<ObjectDisposedException>(() => leaked.Pointer);
    }

    [Fact]
    public void Dispose_DiagnosticPoolWithoutLeak_DoesNotThrow()
    {
        var pool = new FramePool(2, 256, diagnostics: true);
        Assert.True(pool.TryRent(out FrameLease lease));
        lease.Dispose();

        Exception? ex = Record.Exception(pool.Dispose);

        Assert.Null(ex);
    }

    [Fact]
    public void Dispose_PlainPoolWithLeak_DoesNotThrow()
    {
        var pool = new FramePool(2, 256);
        Assert.True(pool.TryRent(out FrameLease leaked));

        // Production shutdown must not throw; leak checking is what diagnostic mode is for.
        Exception? ex = Record.Exception(pool.Dispose);

        Assert.Null(ex);
        Assert.False(leaked.IsValid);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FrameLease RentForLeak(FramePool pool)
    {
        Assert.True(pool.TryRent(out FrameLease lease));
        return lease;
    }
}
