using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

/// <summary>The real YOLOX-nano detection model (no metadata) through the same pipeline calls.</summary>
public sealed class YoloxModelTests
{
    private static string Yolox => TestAssets.Path("models/yolox-nano-416.onnx");

    [AssetFact]
    public void Load_YoloxNano_PicksYoloxWithItsBgrRawInputConvention()
    {
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = Yolox }, NullPipelineLog.Instance);

        Assert.Equal("yolox", model.DecoderName);
        Assert.Equal("images float32 [1,3,416,416] NCHW BGR raw 0..255 letterbox", model.InputDescription);
        Assert.Equal(80, model.Categories.Categories.Count);
        Assert.Equal(0, model.MaskArenaFloats);
    }

    [AssetFact]
    public void Decode_UdacityFrame_FindsCarsInTheLowerMiddleWithoutMasks()
    {
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = Yolox }, NullPipelineLog.Instance);
        using InferenceSlot slot = model.CreateSlot();
        using VideoFrame frame = VideoFrame.Read(TestAssets.UdacityCars, 0);
        DetectionSet set = model.CreateDetectionSet();

        model.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);
        model.Run(slot);
        model.Decode(slot, set);

        // COCO class 2 is car; YOLOX exports carry no names, so the category is class_2.
        Detection[] cars = [.. set.Items.ToArray().Where(d => d.ClassId == 2)];
        Assert.NotEmpty(cars);
        Assert.InRange(cars[0].Box.CenterY, 0.45f * 720, 720f);
        Assert.InRange(cars[0].Box.CenterX, 0.15f * 1280, 0.95f * 1280);
        Assert.All(set.Items.ToArray(), d => Assert.False(d.HasMask));
        Assert.True(model.Categories.TryGet(2, out Category c));
        Assert.Equal("class_2", c.Name);
    }

    [AssetFact]
    public void Describe_YoloxNano_SaysYoloxFitsAndYoloSegDoesNot()
    {
        ModelDescription d = SegmentationModel.Describe(Yolox);

        Assert.Equal("yolox", d.Decoder);
        Assert.False(d.Decoders.Single(v => v.Decoder == "yolo-seg").Fits);
        Assert.True(d.Decoders.Single(v => v.Decoder == "yolox").Fits);
        Assert.Equal("images float32 [1,3,416,416] NCHW BGR raw 0..255 letterbox", d.Input);
        Assert.Contains("YOLOX convention", d.InputConvention);
    }

    [AssetFact]
    public void Describe_UltralyticsModel_YoloxExplainsWhyNot()
    {
        ModelDescription d = SegmentationModel.Describe(TestAssets.YoloSeg);

        Assert.Contains("Ultralytics export", d.Decoders.Single(v => v.Decoder == "yolox").Reason);
    }
}
