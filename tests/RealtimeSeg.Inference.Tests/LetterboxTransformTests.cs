using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Tests;

public sealed class LetterboxTransformTests
{
    [Fact]
    public void Compute_Landscape1280x720Into320_ScaleQuarterPadY70()
    {
        LetterboxTransform t = LetterboxTransform.Compute(1280, 720, 320, 320);

        Assert.Equal(0.25f, t.Scale);
        Assert.Equal(0, t.PadX);
        Assert.Equal(70, t.PadY);
        Assert.Equal(320, t.ResizedWidth);
        Assert.Equal(180, t.ResizedHeight);
    }

    [Fact]
    public void Compute_PortraitImage_PadsHorizontally()
    {
        LetterboxTransform t = LetterboxTransform.Compute(720, 1280, 320, 320);

        Assert.Equal(0.25f, t.Scale);
        Assert.Equal(70, t.PadX);
        Assert.Equal(0, t.PadY);
    }

    [Fact]
    public void Compute_SameSize_IdentityWithoutPadding()
    {
        LetterboxTransform t = LetterboxTransform.Compute(320, 320, 320, 320);

        Assert.Equal(1f, t.Scale);
        Assert.Equal((0, 0, 320, 320), (t.PadX, t.PadY, t.ResizedWidth, t.ResizedHeight));
    }

    [Fact]
    public void Compute_OddPadding_RoundsLikeUltralytics()
    {
        // 960x540 into 416: scale 0.4333, content 416x234, dh = 91 → top 91 (round(90.9)), as Ultralytics' LetterBox.
        LetterboxTransform t = LetterboxTransform.Compute(960, 540, 416, 416);

        Assert.Equal(234, t.ResizedHeight);
        Assert.Equal(91, t.PadY);
        // 1000x701 into 320x320: content 320x224 (224.32 rounds down), dh = 48.
        LetterboxTransform u = LetterboxTransform.Compute(1000, 701, 320, 320);
        Assert.Equal((320, 224, 48), (u.ResizedWidth, u.ResizedHeight, u.PadY));
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(640f, 360f)]
    [InlineData(1279.5f, 719.25f)]
    [InlineData(17.3f, 702.9f)]
    public void ImageToInput_ThenBack_ReturnsThePoint(float x, float y)
    {
        LetterboxTransform t = LetterboxTransform.Compute(1280, 720, 320, 320);

        float ix = t.ImageToInputX(x), iy = t.ImageToInputY(y);

        Assert.InRange(ix, 0f, 320f);
        Assert.InRange(iy, 70f, 250f);
        Assert.Equal(x, t.InputToImageX(ix), 3);
        Assert.Equal(y, t.InputToImageY(iy), 3);
    }

    [Fact]
    public void ImageToInput_ImageCentre_LandsAtInputCentre()
    {
        LetterboxTransform t = LetterboxTransform.Compute(1280, 720, 320, 320);

        Assert.Equal(160f, t.ImageToInputX(640f));
        Assert.Equal(160f, t.ImageToInputY(360f));
    }

    [Fact]
    public void InputToImage_BoxReachingIntoPadding_IsClampedToTheImage()
    {
        LetterboxTransform t = LetterboxTransform.Compute(1280, 720, 320, 320);

        BoundingBox b = t.InputToImage(new BoundingBox(-10f, 60f, 100f, 300f));

        Assert.Equal(new BoundingBox(0f, 0f, 400f, 720f), b);
    }
}
