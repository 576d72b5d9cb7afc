using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

public sealed class StretchResizeTests
{
    [Fact]
    public void Stretch_DashCamIntoSquareInput_EachAxisScaledOnItsOwnWithoutPadding()
    {
        var t = LetterboxTransform.Stretch(1280, 720, 257, 257);

        Assert.Equal((0, 0, 257, 257), (t.PadX, t.PadY, t.ResizedWidth, t.ResizedHeight));
        Assert.Equal(257f / 1280, t.ScaleX, 6);
        Assert.Equal(257f / 720, t.ScaleY, 6);
        Assert.Equal(1280f, t.InputToImageX(257f), 3);
        Assert.Equal(720f, t.InputToImageY(257f), 3);
        Assert.Equal(128.5f, t.ImageToInputY(360f), 3);
        Assert.Equal(new BoundingBox(640, 360, 1280, 720), t.InputToImage(new BoundingBox(128.5f, 128.5f, 257f, 257f)));
    }

    [Fact]
    public void Stretch_SameAspect_IsTheLetterbox()
        => Assert.Equal(LetterboxTransform.Compute(640, 640, 320, 320), LetterboxTransform.Stretch(640, 640, 320, 320));

    [Fact]
    public void Compute_LetterboxMode_KeepsOneScale()
    {
        var t = LetterboxTransform.Compute(ResizeMode.Letterbox, 1280, 720, 257, 257);

        Assert.Equal(t.ScaleX, t.ScaleY);
        Assert.True(t.PadY > 0);
    }

    [AssetFact]
    public void Preprocess_StretchOption_FillsTheWholeInputAndDescribesIt()
    {
        var options = new ModelOptions
        {
            Path = TestAssets.Path("models/deeplabv3-mobilenetv2-voc-257.onnx"),
            Resize = ResizeMode.Stretch,
            Mean = [127.5f, 127.5f, 127.5f],
            Std = [127.5f, 127.5f, 127.5f],
            WarmupRuns = 0,
        };
        using SegmentationModel model = SegmentationModel.Load(options, NullPipelineLog.Instance);
        using InferenceSlot slot = model.CreateSlot();
        using var frame = Diagnostics.StillFrame.Read(TestAssets.UdacityCars, 0);

        model.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);

        Assert.EndsWith(" stretch", model.InputDescription);
        Assert.Equal(LetterboxTransform.Stretch(1280, 720, 257, 257), slot.Transform);
        // No grey padding rows: the first input row is the top of the frame (sky), not 114 grey = (114 - 127.5) / 127.5.
        ReadOnlySpan<float> firstRow = slot.Input[..(257 * 3)];
        int grey = 0;
        foreach (float v in firstRow)
        {
            grey += MathF.Abs(v - (114f - 127.5f) / 127.5f) < 1e-4f ? 1 : 0;
        }
        Assert.True(grey < firstRow.Length / 2, $"{grey} of {firstRow.Length} values of the first row are padding grey");
    }
}
