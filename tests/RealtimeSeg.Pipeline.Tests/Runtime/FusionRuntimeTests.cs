using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Diagnostics;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// Several models on one frame with the real assets: configs/drive-panoptic.yaml (YOLOv8n-seg things +
/// road-segmentation-adas stuff) loaded, run side by side, decoded into one combined class space, and through the pipeline.
/// </summary>
public sealed class FusionRuntimeTests
{
    private static PipelineConfig DrivePanoptic()
    {
        var loader = new PipelineConfigLoader(name => name == "REALTIMESEG_ASSETS" ? TestAssets.Directory : Environment.GetEnvironmentVariable(name));
        PipelineConfig config = loader.Load(Path.Combine(TestAssets.RepositoryRoot, "configs", "drive-panoptic.yaml"));
        loader.Validate(config);
        return config;
    }

    private static int CategoryId(CategoryTable table, string name)
    {
        foreach (Category c in table.Categories)
        {
            if (c.Name == name)
            {
                return c.Id;
            }
        }
        return -1;
    }

    [AssetFact]
    public void Load_DrivePanoptic_CombinesThingClassesAndTakesStuffFromTheRoadModel()
    {
        using ModelSet set = ModelSet.Load(DrivePanoptic(), NullPipelineLog.Instance);

        Assert.Equal(2, set.Models.Length);
        Assert.Equal([0, 80], set.ClassOffsets);
        Assert.Equal(1, set.SemanticModel);
        Assert.Equal(80, set.Classes.ThingCategoryForClass.Length);
        int car = CategoryId(set.Categories, "car");
        Assert.Equal(car, set.Classes.ThingCategoryForClass[2]);
        Assert.Equal(-1, set.Classes.ThingCategoryForClass[9]);
        Assert.Equal([-1, CategoryId(set.Categories, "road"), CategoryId(set.Categories, "curb"), CategoryId(set.Categories, "lane mark")],
            set.Classes.StuffCategoryForClass.ToArray());
        Assert.Equal(set.Models[0].MaxDetections + set.Models[1].MaxDetections, set.MaxDetections);
    }

    [AssetFact]
    public void Load_TwoModelsWithSemanticOutputs_ConfigurationErrorNamesTheSecond()
    {
        PipelineConfig config = new()
        {
            Categories = [new CategoryOptions { Id = 1, Name = "road" }, new CategoryOptions { Id = 15, Name = "person-ish" }],
            Models =
            [
                new ModelOptions { Path = TestAssets.RoadSegmentation, Decoder = "semantic", WarmupRuns = 0, SemanticClasses = [-1, 1, -1, -1] },
                new ModelOptions { Path = TestAssets.Path("models/deeplabv3-mobilenetv2-voc-257.onnx"), WarmupRuns = 0 },
            ],
        };

        var e = Assert.Throws<ConfigurationException>(() => ModelSet.Load(config, NullPipelineLog.Instance));

        Assert.Contains("key 'models[1]'", e.Message);
        Assert.Contains("deeplabv3-mobilenetv2-voc-257.onnx", e.Message);
        Assert.Contains("stuff from one model", e.Message);
    }

    [AssetFact]
    public void Load_InstanceMappingOfWrongLength_ErrorNamesTheModelsKey()
    {
        PipelineConfig config = new()
        {
            Categories = [new CategoryOptions { Id = 12, Name = "car", Thing = true }],
            Models = [new ModelOptions { Path = TestAssets.YoloSeg, WarmupRuns = 0, InstanceClasses = [-1, -1, 12] }],
        };

        var e = Assert.Throws<ConfigurationException>(() => ModelSet.Load(config, NullPipelineLog.Instance));

        Assert.Contains("key 'models[0].instance_classes'", e.Message);
        Assert.Contains("80", e.Message);
    }

    [AssetFact]
    public void Runner_HighwayFrame_DecodesCarsInCombinedSpaceAndRoadStuffWithoutAllocating()
    {
        using ModelSet set = ModelSet.Load(DrivePanoptic(), NullPipelineLog.Instance);
        using var work = new WorkItem(set);
        using var runner = new ModelRunner(set);
        using StillFrame frame = StillFrame.Read(TestAssets.UdacityHighway, 60);
        for (int i = 0; i < 3; i++)
        {
            RunOne(runner, frame, work);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long workerBefore = runner.WorkerAllocatedBytes;
        for (int i = 0; i < 3; i++)
        {
            RunOne(runner, frame, work);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long workerAllocated = runner.WorkerAllocatedBytes - workerBefore;

        Assert.Equal(0, allocated);
        Assert.Equal(0, workerAllocated);
        Assert.Contains(work.Detections.Items.ToArray(), d => d.ClassId == 2 && d.HasMask); // COCO car, model 0 (offset 0)
        Assert.All(work.Detections.Items.ToArray(), d => Assert.InRange(d.ClassId, 0, 79));
        Assert.NotNull(work.Semantic);
        int road = work.Semantic!.Classes.Count((byte)1);
        Assert.True(road > work.Semantic.Classes.Length / 20, $"road class on {road} of {work.Semantic.Classes.Length} cells");
    }

    [AssetFact]
    public void Runner_SequentialAndSideBySide_DecodeTheSameFrameAlike()
    {
        using ModelSet set = ModelSet.Load(DrivePanoptic(), NullPipelineLog.Instance);
        using var concurrentWork = new WorkItem(set);
        using var sequentialWork = new WorkItem(set);
        using var concurrent = new ModelRunner(set);
        using var sequential = new ModelRunner(set, concurrent: false);
        using StillFrame frame = StillFrame.Read(TestAssets.UdacityHighway, 30);

        RunOne(concurrent, frame, concurrentWork);
        RunOne(sequential, frame, sequentialWork);

        Assert.Equal(0, sequential.WorkerAllocatedBytes); // no worker threads at all
        Assert.NotEqual(0, concurrentWork.Detections.Count);
        Assert.Equal(concurrentWork.Detections.Items.ToArray().Select(d => d.ClassId), sequentialWork.Detections.Items.ToArray().Select(d => d.ClassId));
        Assert.Equal(concurrentWork.Detections.Items.ToArray().Select(d => d.Box), sequentialWork.Detections.Items.ToArray().Select(d => d.Box));
        Assert.True(concurrentWork.Semantic!.Classes.SequenceEqual(sequentialWork.Semantic!.Classes), "both ways give the same semantic map");
    }

    private static void RunOne(ModelRunner runner, StillFrame frame, WorkItem work)
    {
        runner.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, work);
        runner.Run(work);
        runner.Decode(work);
    }

    [AssetTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_DrivePanoptic_PublishesEveryFrameAndReportsBothModels(bool concurrent)
    {
        PipelineConfig config = DrivePanoptic() with
        {
            Sources = [new SourceConfig { Uri = TestAssets.UdacityHighway }],
            Pipeline = new PipelineOptions { Pace = Pacing.Lockstep, MaxFrames = 8, ConcurrentModels = concurrent },
            Publish = new Publishing.PublisherOptions { Endpoint = "tcp://127.0.0.1:*" },
        };
        PipelineReport report;
        var log = new CollectingLog();
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, log))
        {
            Assert.Contains(pipeline.Categories.Categories, c => c.Name == "road" && !c.IsThing);
            report = await pipeline.RunAsync(CancellationToken.None);
        }

        Assert.Equal(8, report.FramesPublished);
        Assert.Equal(2, report.Models.Count);
        Assert.EndsWith("yolov8n-seg-int8-320.onnx", report.Models[0].Path);
        Assert.EndsWith("road-segmentation-adas-0001.onnx", report.Models[1].Path);
        Assert.Equal("semantic", report.Models[1].Decoder);
        Assert.Contains(log.Lines, l => l.Contains(concurrent ? "2 models fused (side by side)" : "2 models fused (one after the other)", StringComparison.Ordinal));
    }
}
