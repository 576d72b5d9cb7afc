using RealtimeSeg.Core;

namespace RealtimeSeg.Core.Tests;

public sealed class BoundingBoxTests
{
    [Fact]
    public void IoU_HalfOverlap_IsOneThird()
    {
        var a = new BoundingBox(0, 0, 10, 10);
        var b = new BoundingBox(5, 0, 15, 10);
        Assert.Equal(50f / 150f, BoundingBox.IoU(a, b), 6);
    }

    [Fact]
    public void IoU_Disjoint_IsZero() => Assert.Equal(0f, BoundingBox.IoU(new(0, 0, 1, 1), new(2, 2, 3, 3)));

    [Fact]
    public void IoU_Identical_IsOne() => Assert.Equal(1f, BoundingBox.IoU(new(1, 2, 3, 4), new(1, 2, 3, 4)));

    [Fact]
    public void IoU_BothEmpty_IsZeroNotNaN() => Assert.Equal(0f, BoundingBox.IoU(new(1, 1, 1, 1), new(1, 1, 1, 1)));

    [Fact]
    public void Area_InvertedBox_IsZero() => Assert.Equal(0f, new BoundingBox(10, 10, 5, 5).Area);

    [Fact]
    public void FromCenter_RoundTripsCenterAndSize()
    {
        BoundingBox b = BoundingBox.FromCenter(50, 40, 20, 10);
        Assert.Equal(new BoundingBox(40, 35, 60, 45), b);
        Assert.Equal(50, b.CenterX);
        Assert.Equal(10, b.Height);
    }

    [Fact]
    public void ClampTo_BoxOutsideImage_IsCutAtTheBorder()
        => Assert.Equal(new BoundingBox(0, 0, 100, 50), new BoundingBox(-5, -5, 120, 50).ClampTo(100, 80));
}
