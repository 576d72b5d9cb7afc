using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

public sealed class DetectionMergeTests
{
    [Fact]
    public void Append_TwoModels_OffsetsClassIdsAndCopiesMasks()
    {
        var first = new DetectionSet(4, 16);
        int m0 = first.TryAllocateMask(2, 2, 10f, 20f, 4f, 4f, out Span<float> cells0);
        cells0.Fill(0.75f);
        first.TryAdd(new Detection(new BoundingBox(10, 20, 18, 28), 2, 0.9f, m0));
        first.TryAdd(new Detection(new BoundingBox(0, 0, 5, 5), 0, 0.4f, -1));
        var second = new DetectionSet(4, 16);
        int m1 = second.TryAllocateMask(1, 3, 1f, 2f, 3f, 3f, out Span<float> cells1);
        cells1[0] = 0.1f;
        cells1[1] = 0.2f;
        cells1[2] = 0.3f;
        second.TryAdd(new Detection(new BoundingBox(1, 2, 4, 11), 1, 0.6f, m1));
        var merged = new DetectionSet(8, 32);

        DetectionMerge.Append(first, 0, merged);
        DetectionMerge.Append(second, 80, merged);

        Assert.Equal(3, merged.Count);
        Assert.Equal([2, 0, 81], merged.Items.ToArray().Select(d => d.ClassId));
        Assert.Equal([0.9f, 0.4f, 0.6f], merged.Items.ToArray().Select(d => d.Score));
        Assert.False(merged[1].HasMask);
        Assert.Equal(new MaskGrid(0, 2, 2, 10f, 20f, 4f, 4f), merged.Masks[merged[0].MaskIndex]);
        Assert.Equal([0.75f, 0.75f, 0.75f, 0.75f], merged.MaskCells(merged[0].MaskIndex).ToArray());
        MaskGrid g = merged.Masks[merged[2].MaskIndex];
        Assert.Equal((1, 3, 1f, 2f), (g.Width, g.Height, g.OriginX, g.OriginY));
        Assert.Equal([0.1f, 0.2f, 0.3f], merged.MaskCells(merged[2].MaskIndex).ToArray());
    }

    [Fact]
    public void Append_ArenaTooSmallForAMask_KeepsTheDetectionAsABox()
    {
        var from = new DetectionSet(2, 16);
        int m = from.TryAllocateMask(4, 4, 0f, 0f, 1f, 1f, out _);
        from.TryAdd(new Detection(new BoundingBox(0, 0, 4, 4), 3, 0.8f, m));
        var into = new DetectionSet(2, 4);

        DetectionMerge.Append(from, 10, into);

        Assert.Equal(1, into.Count);
        Assert.Equal(13, into[0].ClassId);
        Assert.False(into[0].HasMask);
    }

    [Fact]
    public void Append_IntoFullSet_CountsTheOverflow()
    {
        var from = new DetectionSet(3, 0);
        for (int i = 0; i < 3; i++)
        {
            from.TryAdd(new Detection(new BoundingBox(0, 0, 1, 1), i, 0.5f, -1));
        }
        var into = new DetectionSet(2, 0);

        DetectionMerge.Append(from, 0, into);

        Assert.Equal(2, into.Count);
        Assert.Equal(1, into.Overflowed);
    }
}
