using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

public sealed class ModelDescriptionTests
{
    [AssetFact]
    public void Describe_YoloSeg_ListsTensorsMetadataAndPicksYoloSeg()
    {
        ModelDescription d = SegmentationModel.Describe(TestAssets.YoloSeg);

        Assert.Equal("images", Assert.Single(d.Inputs).Name);
        Assert.Equal("[1,3,320,320]", d.Inputs[0].ShapeText);
        Assert.Equal(["output0", "output1"], d.Outputs.Select(o => o.Name));
        Assert.Equal("[1,116,2100]", d.Outputs[0].ShapeText);
        Assert.Equal("[1,32,80,80]", d.Outputs[1].ShapeText);
        Assert.Contains(d.Metadata, kv => kv.Key == "task" && kv.Value == "segment");
        Assert.Equal("yolo-seg", d.Decoder);
        Assert.True(d.Decoders.Single(v => v.Decoder == "yolo-seg").Fits);
        Assert.Equal(80, d.ClassCount);
        Assert.Equal("car", d.ClassNames![2]);
        Assert.Equal("images float32 [1,3,320,320] NCHW RGB /255 letterbox", d.Input);
        Assert.Contains("Ultralytics", d.InputConvention);
        Assert.Contains("CPUExecutionProvider", d.AvailableProviders);
    }

    [AssetFact]
    public void Render_YoloSeg_PlainTextWithDecoderReason()
    {
        string text = ModelDescriptionText.Render(SegmentationModel.Describe(TestAssets.YoloSeg));

        Assert.Contains("  output0  float32  [1,116,2100]", text);
        Assert.Contains("decoder:  yolo-seg", text);
        Assert.Contains("yolo-seg: fits — 'output0' [1,116,2100] = 2100 candidates x (4 box + 80 classes + 32 mask coefficients)", text);
        Assert.Contains("classes:  80 (0 person, 1 bicycle, 2 car,", text);
        // The names dict is kilobytes long: cut in the metadata listing.
        Assert.Contains("  names: {0: 'person'", text);
        Assert.DoesNotContain("toothbrush", text);
    }

    [AssetFact]
    public void Describe_SemanticModel_PicksSemanticAndSaysWhyTheOthersDoNotFit()
    {
        ModelDescription d = SegmentationModel.Describe(TestAssets.RoadSegmentation);

        Assert.Equal("semantic", d.Decoder);
        Assert.Equal(4, d.SemanticClassCount);
        Assert.Equal(["semantic"], d.Decoders.Where(v => v.Fits).Select(v => v.Decoder));
        DecoderVerdict v = d.Decoders.Single(v => v.Decoder == "yolo-seg");
        Assert.Contains("output 'tf.identity' has shape [1,512,896,4]", v.Reason);
        Assert.Contains("class scores (NHWC) of 4 classes on a 896x512 map", d.Decoders.Single(v => v.Fits).Reason);
        // Nothing in this model says it wants BGR 0..255: the description must own up to guessing.
        Assert.Equal("data float32 [1,512,896,3] NHWC RGB /255 letterbox", d.Input);
        Assert.StartsWith("assumed", d.InputConvention);
        Assert.Empty(d.Metadata);
        Assert.Contains("classes:  0 instance classes, 4 semantic classes", ModelDescriptionText.Render(d));
    }

    [Fact]
    public void Describe_MissingFile_ThrowsModelLoadException()
        => Assert.Throws<ModelLoadException>(() => SegmentationModel.Describe("/nonexistent/model.onnx"));
}
