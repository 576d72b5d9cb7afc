using RealtimeSeg.Core;

namespace RealtimeSeg.Core.Tests;

public sealed class DetectionSetTests
{
    [Fact]
    public void TryAdd_BeyondCapacity_IsCountedAsOverflow()
    {
        var set = new DetectionSet(2, 0);
        Assert.True(set.TryAdd(new Detection(new(0, 0, 1, 1), 0, 0.9f, -1)));
        Assert.True(set.TryAdd(new Detection(new(0, 0, 1, 1), 0, 0.8f, -1)));
        Assert.False(set.TryAdd(new Detection(new(0, 0, 1, 1), 0, 0.7f, -1)));
        Assert.Equal(2, set.Count);
        Assert.Equal(1, set.Overflowed);
    }

    [Fact]
    public void TryAllocateMask_ArenaFull_ReturnsMinusOne()
    {
        var set = new DetectionSet(4, 10);
        Assert.Equal(0, set.TryAllocateMask(2, 3, 0, 0, 1, 1, out Span<float> first));
        Assert.Equal(6, first.Length);
        Assert.Equal(-1, set.TryAllocateMask(2, 3, 0, 0, 1, 1, out Span<float> none));
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public void MaskCells_ReturnsTheSameCellsThatWereWritten()
    {
        var set = new DetectionSet(4, 100);
        set.TryAllocateMask(2, 2, 0, 0, 1, 1, out Span<float> a);
        int second = set.TryAllocateMask(3, 1, 10, 20, 4, 4, out Span<float> b);
        a.Fill(0.25f);
        b.Fill(0.75f);
        Assert.Equal([0.75f, 0.75f, 0.75f], set.MaskCells(second).ToArray());
        Assert.Equal(new MaskGrid(4, 3, 1, 10, 20, 4, 4), set.Masks[second]);
    }

    [Fact]
    public void Clear_ResetsCountsAndArena()
    {
        var set = new DetectionSet(2, 4);
        set.TryAllocateMask(2, 2, 0, 0, 1, 1, out _);
        set.TryAdd(new Detection(new(0, 0, 1, 1), 0, 0.9f, 0));
        set.Clear();
        Assert.Equal(0, set.Count);
        Assert.Equal(0, set.Masks.Length);
        Assert.Equal(0, set.TryAllocateMask(2, 2, 0, 0, 1, 1, out _));
    }

    [Fact]
    public void Compact_KeepsOnlyTheGivenIndicesInOrder()
    {
        var set = new DetectionSet(4, 0);
        for (int i = 0; i < 4; i++)
        {
            set.TryAdd(new Detection(new(i, 0, i + 1, 1), i, 0.5f, -1));
        }
        set.Compact([1, 3]);
        Assert.Equal([1, 3], set.Items.ToArray().Select(d => d.ClassId));
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var set = new DetectionSet(2, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => set[0]);
    }
}
