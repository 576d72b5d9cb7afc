using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

public sealed class InputSpecTests
{
    [Theory]
    [InlineData(0f, 255f, "/255")]
    [InlineData(0f, 1f, "raw 0..255")]
    [InlineData(127.5f, 127.5f, "(x-127.5)/127.5")]
    public void Describe_UniformNormalisation_ReadsNaturally(float mean, float std, string expected)
    {
        var spec = new InputSpec("x", TensorLayout.Nhwc, 257, 257, ColorOrder.Rgb, [mean, mean, mean], [std, std, std]);

        Assert.Equal($"x float32 [1,257,257,3] NHWC RGB {expected} letterbox", spec.Describe());
    }

    [Fact]
    public void Describe_PerChannelNormalisation_ListsEachChannel()
    {
        var spec = new InputSpec("x", TensorLayout.Nchw, 224, 224, ColorOrder.Rgb, [123.675f, 116.28f, 103.53f], [58.395f, 57.12f, 57.375f]);

        Assert.EndsWith("(x-[123.675,116.28,103.53])/[58.395,57.12,57.375] letterbox", spec.Describe());
    }

    [Fact]
    public void Constructor_ZeroStd_Throws()
        => Assert.Throws<ArgumentException>(() => new InputSpec("x", TensorLayout.Nchw, 8, 8, ColorOrder.Rgb, [0f, 0f, 0f], [1f, 0f, 1f]));

    [AssetFact]
    public void Load_ColourAndNormalisationOverrides_ReachTheInputSpec()
    {
        var options = new ModelOptions { Path = TestAssets.YoloSeg, ColorOrder = ColorOrder.Bgr, Mean = [1f, 2f, 3f], Std = [4f, 5f, 6f] };

        using SegmentationModel model = SegmentationModel.Load(options, NullPipelineLog.Instance);

        Assert.Equal(ColorOrder.Bgr, model.Input.ColorOrder);
        Assert.Equal([1f, 2f, 3f], model.Input.Mean);
        Assert.Equal("images float32 [1,3,320,320] NCHW BGR (x-[1,2,3])/[4,5,6] letterbox", model.InputDescription);
    }
}
