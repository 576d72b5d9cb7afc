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

    [Fact]
    public void MergeKept_NeighbourAboveThreshold_WeightedByScoreTimesIou()
    {
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(2, 0, 12, 10)]; // IoU 80/120
        int[] classes = [4, 4];
        float[] scores = [0.8f, 0.4f];
        int[] keep = [0];

        NonMaxSuppression.MergeKept(boxes, classes, scores, keep, 0.5f, new BoundingBox[1]);

        // weights 0.8 and 0.4 × 2/3: x1 = (0 × 0.8 + 2 × 0.2667) / 1.0667 = 0.5, x2 = 10.5
        Assert.Equal(0.5f, boxes[0].X1, 5);
        Assert.Equal(10.5f, boxes[0].X2, 5);
        Assert.Equal((0f, 10f), (boxes[0].Y1, boxes[0].Y2));
        Assert.Equal(new BoundingBox(2, 0, 12, 10), boxes[1]);
    }

    [Fact]
    public void MergeKept_OtherClassOrOverlapNotAboveThreshold_LeavesTheBoxAsItIs()
    {
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(3, 3, 13, 13), new(5, 0, 15, 10)]; // same box other class; IoU 1/3
        int[] classes = [1, 2, 1];
        float[] scores = [0.9f, 0.9f, 0.9f];
        int[] keep = [0];

        NonMaxSuppression.MergeKept(boxes, classes, scores, keep, 1f / 3f, new BoundingBox[1]);

        Assert.Equal(new BoundingBox(0, 0, 10, 10), boxes[0]);
    }

    [Fact]
    public void MergeKept_TwoKeptNeighbours_EachMergesTheOthersOriginalBox()
    {
        BoundingBox[] boxes = [new(0, 0, 10, 10), new(6, 0, 16, 10)]; // IoU 40/160 = 0.25
        int[] classes = [0, 0];
        float[] scores = [0.9f, 0.6f];
        int[] keep = [0, 1];

        NonMaxSuppression.MergeKept(boxes, classes, scores, keep, 0.2f, new BoundingBox[2]);

        // A: weights 0.9 (itself) and 0.6 × 0.25; B: 0.6 (itself) and 0.9 × 0.25 on A's original box, not A's merged one.
        Assert.Equal(6 * 0.15f / 1.05f, boxes[0].X1, 4);
        Assert.Equal((10 * 0.9f + 16 * 0.15f) / 1.05f, boxes[0].X2, 4);
        Assert.Equal(6 * 0.6f / 0.825f, boxes[1].X1, 4);
        Assert.Equal((16 * 0.6f + 10 * 0.225f) / 0.825f, boxes[1].X2, 4);
    }
}
