using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Tests;

public sealed class YoloSegDecoderFactoryTests
{
    private static readonly InputSpec Input320 = InputSpec.Ultralytics("images", TensorLayout.Nchw, 320, 320);

    private static TensorInfo Tensor(string name, params long[] shape) => new(name, "float32", shape, []);

    private static ModelSignature Signature(Dictionary<string, string>? metadata, params TensorInfo[] outputs)
        => new("/models/m.onnx", "test", [Tensor("images", 1, 3, 320, 320)], outputs, metadata ?? []);

    private static string Names(int count)
        => "{" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"{i}: 'c{i}'")) + "}";

    private static YoloSegLayout Match(ModelSignature sig)
    {
        bool ok = new YoloSegDecoderFactory().TryMatch(sig, Input320, out IDecoderLayout? layout, out string reason);
        Assert.True(ok, reason);
        return (YoloSegLayout)layout!;
    }

    private static string Mismatch(ModelSignature sig)
    {
        bool ok = new YoloSegDecoderFactory().TryMatch(sig, Input320, out IDecoderLayout? layout, out string reason);
        Assert.False(ok);
        Assert.Null(layout);
        return reason;
    }

    [Fact]
    public void TryMatch_V8ExportWithNames_AttributesFirstClassesFromNames()
    {
        YoloSegLayout l = Match(Signature(new() { ["names"] = Names(80), ["task"] = "segment" },
            Tensor("output0", 1, 116, 2100), Tensor("output1", 1, 32, 80, 80)));

        Assert.Equal((true, false, 80, 32, 2100, 80, 80), (l.AttributesFirst, l.HasObjectness, l.ClassCount, l.MaskCount, l.AnchorCount, l.ProtoHeight, l.ProtoWidth));
        Assert.Equal(4f, l.ProtoCellWidth);
    }

    [Fact]
    public void TryMatch_NoNames_ClassCountFromShapes()
    {
        YoloSegLayout l = Match(Signature(null, Tensor("output0", 1, 40, 8400), Tensor("output1", 1, 32, 80, 80)));

        Assert.Equal(4, l.ClassCount); // 40 - 4 box - 32 coefficients
        Assert.True(l.AttributesFirst);
    }

    [Fact]
    public void TryMatch_V5TransposedWithObjectness_AttributesLast()
    {
        YoloSegLayout l = Match(Signature(new() { ["names"] = Names(80) },
            Tensor("output0", 1, 25200, 117), Tensor("output1", 1, 32, 160, 160)));

        Assert.Equal((false, true, 80, 25200), (l.AttributesFirst, l.HasObjectness, l.ClassCount, l.AnchorCount));
        Assert.Equal(5, l.ClassOffset);
    }

    [Fact]
    public void TryMatch_OutputsInEitherOrder_FindsHeadAndPrototypesByRank()
    {
        YoloSegLayout l = Match(Signature(null, Tensor("protos", 1, 32, 80, 80), Tensor("preds", 1, 116, 2100)));

        Assert.Equal((1, 0), (l.HeadOutput, l.ProtoOutput));
    }

    [Fact]
    public void TryMatch_SemanticModel_NamesTheTensorAndExpectedVsActualShape()
    {
        string reason = Mismatch(Signature(null, Tensor("tf.identity", 1, 512, 896, 4)));

        Assert.Equal("output 'tf.identity' has shape [1,512,896,4]; a YOLO segmentation model needs output0 [1, 4+nc+nm, N] and output1 [1, nm, mh, mw]", reason);
    }

    [Fact]
    public void TryMatch_DetectionOnlyModel_SaysThePrototypesAreMissing()
    {
        string reason = Mismatch(Signature(null, Tensor("output", 1, 3549, 85)));

        Assert.Contains("no mask prototype output", reason);
        Assert.Contains("[1,3549,85]", reason);
    }

    [Fact]
    public void TryMatch_NamesDisagreeWithShape_GivesExpectedAttributeCount()
    {
        string reason = Mismatch(Signature(new() { ["names"] = Names(81) },
            Tensor("output0", 1, 116, 2100), Tensor("output1", 1, 32, 80, 80)));

        Assert.Contains("output 'output0' has shape [1,116,2100]", reason);
        Assert.Contains("needs output0 [1, 117, N]", reason);
    }

    [Fact]
    public void TryMatch_DynamicAnchors_AsksForAStaticExport()
    {
        string reason = Mismatch(Signature(null, new TensorInfo("output0", "float32", [1, 116, -1], ["", "", "anchors"]), Tensor("output1", 1, 32, 80, 80)));

        Assert.Contains("dynamic shape [1,116,anchors]", reason);
    }

    [Fact]
    public void TryMatch_DetectTask_IsRejected()
    {
        string reason = Mismatch(Signature(new() { ["task"] = "detect", ["names"] = Names(80) },
            Tensor("output0", 1, 116, 2100), Tensor("output1", 1, 32, 80, 80)));

        Assert.Contains("task='detect'", reason);
    }

    [Fact]
    public void TryMatch_Float16Outputs_AreRejectedByType()
    {
        string reason = Mismatch(Signature(null, new TensorInfo("output0", "float16", [1, 116, 2100], []), Tensor("output1", 1, 32, 80, 80)));

        Assert.Contains("output 'output0' is float16", reason);
    }

    [Fact]
    public void Create_UnknownForcedDecoder_ThrowsConfigurationException()
    {
        ModelSignature sig = Signature(null, Tensor("output0", 1, 116, 2100), Tensor("output1", 1, 32, 80, 80));

        var ex = Assert.Throws<RealtimeSeg.Core.ConfigurationException>(() => DecoderRegistry.Create(sig, Input320, "yolo-pose", new DecoderOptions(0.25f, 0.45f, 100, null)));
        Assert.Contains("yolo-pose", ex.Message);
    }
}
