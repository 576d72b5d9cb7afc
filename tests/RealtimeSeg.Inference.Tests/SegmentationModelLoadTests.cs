using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

public sealed class SegmentationModelLoadTests
{
    [AssetFact]
    public void Load_YoloSegModel_ReportsDecoderInputAndCategories()
    {
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg }, NullPipelineLog.Instance);

        Assert.Equal("yolo-seg", model.DecoderName);
        Assert.Equal("CPUExecutionProvider", model.ExecutionProvider);
        Assert.Equal("images float32 [1,3,320,320] NCHW RGB /255 letterbox", model.InputDescription);
        Assert.Equal(80, model.Categories.Categories.Count);
        Assert.True(model.Categories.TryGet(2, out Category car));
        Assert.Equal("car", car.Name);
        Assert.True(car.IsThing);
        Assert.Equal(100, model.MaxDetections);
        Assert.Equal(100 * 80 * 80, model.MaskArenaFloats);
        Assert.Equal(System.IO.Path.GetFullPath(TestAssets.YoloSeg), model.Path);
    }

    [AssetFact]
    public void Load_SemanticModelForcedAsYoloSeg_FailsNamingFileTensorAndShapes()
    {
        var options = new ModelOptions { Path = TestAssets.RoadSegmentation, Decoder = "yolo-seg" };

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationModel.Load(options, NullPipelineLog.Instance));

        Assert.Equal(System.IO.Path.GetFullPath(TestAssets.RoadSegmentation), ex.ModelPath);
        Assert.Contains("road-segmentation-adas-0001.onnx", ex.Message);
        Assert.Contains("output 'tf.identity' has shape [1,512,896,4]", ex.Message);
        Assert.Contains("a YOLO segmentation model needs output0 [1, 4+nc+nm, N] and output1 [1, nm, mh, mw]", ex.Message);
    }

    [AssetFact]
    public void Load_SemanticModelAutoDecoder_PicksSemanticWithStuffClassesAndNoInstances()
    {
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.RoadSegmentation, WarmupRuns = 0 }, NullPipelineLog.Instance);

        Assert.Equal("semantic", model.DecoderName);
        Assert.NotNull(model.CreateSemanticMap());
        Assert.Empty(model.Classes.ThingCategoryForClass);
        Assert.Equal(4, model.Classes.StuffCategoryForClass.Length);
        Assert.All(model.Categories.Categories, c => Assert.False(c.IsThing));
    }

    [AssetFact]
    public void Load_DetectionOnlyModelForcedAsYoloSeg_FailsSayingPrototypesAreMissing()
    {
        var ex = Assert.Throws<ModelLoadException>(
            () => SegmentationModel.Load(new ModelOptions { Path = TestAssets.Path("models/yolox-nano-416.onnx"), Decoder = "yolo-seg" }, NullPipelineLog.Instance));

        Assert.Contains("no mask prototype output", ex.Message);
        Assert.Contains("'output' float32 [1,3549,85]", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingThePath()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationModel.Load(new ModelOptions { Path = path }, NullPipelineLog.Instance));

        Assert.Equal(path, ex.ModelPath);
        Assert.Contains(path, ex.Message);
        Assert.Contains("file not found", ex.Message);
    }

    [Fact]
    public void Load_CorruptFile_FailsNamingThePath()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0x08, 0x07, 0xFF, 0xFF, 0x12, 0x34, 0x00, 0x9A, 0x42, 0x42]);
        try
        {
            var ex = Assert.Throws<ModelLoadException>(() => SegmentationModel.Load(new ModelOptions { Path = path }, NullPipelineLog.Instance));

            Assert.Equal(path, ex.ModelPath);
            Assert.Contains(path, ex.Message);
            Assert.Contains("ONNX Runtime cannot load it", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Load_BundledModelTruncated_FailsWithModelLoadExceptionNamingThePath(double kept)
    {
        // A copy cut short (an interrupted download or copy, a full disk): wherever the cut falls, inside the graph or
        // in the weights, the load fails as a model that cannot be opened, never with ONNX Runtime's own exception.
        byte[] bytes = File.ReadAllBytes(System.IO.Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx"));
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * kept)]);
        try
        {
            var ex = Assert.Throws<ModelLoadException>(() => SegmentationModel.Load(new ModelOptions { Path = path }, NullPipelineLog.Instance));

            Assert.Equal(path, ex.ModelPath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_Directory_FailsNamingThePath()
    {
        string dir = System.IO.Path.GetTempPath();

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationModel.Load(new ModelOptions { Path = dir }, NullPipelineLog.Instance));

        Assert.Contains("directory", ex.Message);
    }

    [Fact]
    public void Load_MergeNmsForAFamilyWithoutNms_FailsNamingTheKeyAndTheFamily()
    {
        string path = System.IO.Path.Combine(TestAssets.RepositoryRoot, "tests", "data", "decoders", "maskrcnn-small-160.onnx");

        var ex = Assert.Throws<ModelLoadException>(() => SegmentationModel.Load(new ModelOptions { Path = path, MergeIouThreshold = 0.5f, WarmupRuns = 0 }, NullPipelineLog.Instance));

        Assert.Contains("maskrcnn-small-160.onnx", ex.Message);
        Assert.Contains("merge_iou_threshold is set, but the maskrcnn decoder runs no NMS", ex.Message);
    }

    [Fact]
    public void Load_BundledModelWithMergeNms_LoadsItsPanopticDecoder()
    {
        string path = System.IO.Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx");

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = path, MergeIouThreshold = 0.5f, WarmupRuns = 0 }, NullPipelineLog.Instance);

        Assert.Equal("panoptic", model.DecoderName);
    }

    [Fact]
    public void Load_InvalidOptions_ThrowsConfigurationExceptionBeforeTouchingTheFile()
        => Assert.Throws<ConfigurationException>(() => SegmentationModel.Load(new ModelOptions { Path = "x.onnx", MaxDetections = -3 }, NullPipelineLog.Instance));
}
