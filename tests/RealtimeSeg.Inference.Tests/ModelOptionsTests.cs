using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Tests;

public sealed class ModelOptionsTests
{
    private static readonly ModelOptions Valid = new() { Path = "model.onnx" };

    [Fact]
    public void Validate_Defaults_Pass()
    {
        Valid.Validate();

        Assert.Equal(["cpu"], Valid.Providers);
        Assert.Equal((0.25f, 0.45f, 100, 0), (Valid.ConfidenceThreshold, Valid.IouThreshold, Valid.MaxDetections, Valid.IntraOpThreads));
        Assert.Null(Valid.Decoder);
    }

    [Fact]
    public void Validate_UnknownProvider_NamesTheKeyAndTheKnownOnes()
    {
        var ex = Assert.Throws<ConfigurationException>(() => (Valid with { Providers = ["cuda", "vulkan"] }).Validate());

        Assert.Equal("model.providers[1]: unknown execution provider 'vulkan' (known: tensorrt, cuda, cpu)", ex.Message);
    }

    [Theory]
    [InlineData(100_000, 1, "intra_op_threads", "[0, 256]")]
    [InlineData(257, 1, "intra_op_threads", "[0, 256]")]
    [InlineData(-1, 1, "intra_op_threads", "[0, 256]")]
    [InlineData(0, 257, "inter_op_threads", "[1, 256]")]
    [InlineData(0, 0, "inter_op_threads", "[1, 256]")]
    public void Validate_ThreadCountOutOfRange_NamesTheKeyAndTheAllowedRange(int intra, int inter, string key, string range)
    {
        var ex = Assert.Throws<ConfigurationException>(() => (Valid with { IntraOpThreads = intra, InterOpThreads = inter }).Validate());

        Assert.StartsWith($"model.{key}: must be in {range}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(ModelOptions.MaxThreads, ModelOptions.MaxThreads)]
    public void Validate_ThreadCountsAtTheBounds_Pass(int intra, int inter)
        => (Valid with { IntraOpThreads = intra, InterOpThreads = inter }).Validate();

    [Fact]
    public void KnownNames_ListEveryDecoderFamilyAndProvider()
    {
        Assert.Equal(["panoptic", "yolo-seg", "yolo-detect", "yolo-e2e", "yolox", "maskrcnn", "semantic"], ModelOptions.KnownDecoders);
        Assert.Equal(["tensorrt", "cuda", "cpu"], ModelOptions.KnownProviders);
    }

    [Fact]
    public void Validate_ProviderNamesInAnyCase_Pass()
        => (Valid with { Providers = ["TensorRT", "CUDA", "cpu"] }).Validate();

    [Theory]
    [InlineData("path")]
    [InlineData("decoder")]
    [InlineData("providers")]
    [InlineData("intra_op_threads")]
    [InlineData("confidence_threshold")]
    [InlineData("iou_threshold")]
    [InlineData("merge_iou_threshold")]
    [InlineData("max_detections")]
    [InlineData("classes[0]")]
    [InlineData("mean")]
    [InlineData("std[1]")]
    public void Validate_BadValue_NamesItsKey(string key)
    {
        ModelOptions bad = key switch
        {
            "path" => Valid with { Path = " " },
            "decoder" => Valid with { Decoder = "yolo-pose" },
            "providers" => Valid with { Providers = [] },
            "intra_op_threads" => Valid with { IntraOpThreads = -1 },
            "confidence_threshold" => Valid with { ConfidenceThreshold = 1.5f },
            "iou_threshold" => Valid with { IouThreshold = 0f },
            "merge_iou_threshold" => Valid with { MergeIouThreshold = 1f },
            "max_detections" => Valid with { MaxDetections = 0 },
            "classes[0]" => Valid with { Classes = [-1] },
            "mean" => Valid with { Mean = [1f, 2f] },
            "std[1]" => Valid with { Std = [1f, 0f, 1f] },
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };

        var ex = Assert.Throws<ConfigurationException>(bad.Validate);

        Assert.StartsWith($"model.{key}:", ex.Message);
    }
}
