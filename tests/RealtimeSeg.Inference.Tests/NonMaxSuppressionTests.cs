using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;

namespace RealtimeSeg.Inference.Tests;

public sealed class NonMaxSuppressionTests
{
    [Fact]
    public void SelectClassAware_OverlappingSameClass_KeepsOnlyTheBetter()
    {
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(1, 1, 11, 11)]; // IoU 81/119 = 0.68
        int[] classes = [3, 3];
        int[] keep = new int[4];

        int n = NonMaxSuppression.SelectClassAware(boxes, classes, 0.45f, 100, keep);

        Assert.Equal(1, n);
        Assert.Equal(0, keep[0]);
    }

    [Fact]
    public void SelectClassAware_OverlappingDifferentClasses_KeepsBoth()
    {
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(0, 0, 10, 10)];
        int[] classes = [2, 7];
        int[] keep = new int[4];

        int n = NonMaxSuppression.SelectClassAware(boxes, classes, 0.45f, 100, keep);

        Assert.Equal(2, n);
        Assert.Equal([0, 1], keep[..2]);
    }

    [Fact]
    public void SelectClassAware_OverlapBelowThreshold_KeepsBoth()
    {
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(5, 0, 15, 10)]; // IoU 50/150 = 0.33
        int[] classes = [0, 0];
        int[] keep = new int[4];

        Assert.Equal(2, NonMaxSuppression.SelectClassAware(boxes, classes, 0.45f, 100, keep));
        Assert.Equal(1, NonMaxSuppression.SelectClassAware(boxes, classes, 0.3f, 100, keep));
    }

    [Fact]
    public void SelectClassAware_SuppressedBoxDoesNotSuppressOthers()
    {
        // b1 is suppressed by b0; b2 overlaps b1 a lot but b0 only a little, so b2 survives.
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(4, 0, 14, 10), new(8, 0, 18, 10)];
        int[] classes = [1, 1, 1];
        int[] keep = new int[4];

        int n = NonMaxSuppression.SelectClassAware(boxes, classes, 0.4f, 100, keep);

        Assert.Equal(2, n);
        Assert.Equal([0, 2], keep[..2]);
    }

    [Fact]
    public void SelectClassAware_MoreSurvivorsThanMax_StopsAtMaxBestFirst()
    {
        BoundingBox[] boxes = [new(0, 0, 1, 1), new(2, 2, 3, 3), new(4, 4, 5, 5), new(6, 6, 7, 7)];
        int[] classes = [0, 0, 0, 0];
        int[] keep = new int[4];

        int n = NonMaxSuppression.SelectClassAware(boxes, classes, 0.5f, 2, keep);

        Assert.Equal(2, n);
        Assert.Equal([0, 1], keep[..2]);
    }
}
