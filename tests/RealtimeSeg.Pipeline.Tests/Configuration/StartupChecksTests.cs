using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Publishing;
using RealtimeSeg.TestSupport;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

public sealed class StartupChecksTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-startup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PipelineConfig OneModel(int trackerCapacity) => new()
    {
        Sources = [new SourceConfig { Uri = "synthetic:drive?seed=1&size=320x240&fps=30" }],
        Model = new ModelOptions { Path = "/m.onnx" },
        Tracker = new TrackerOptions { MaxDetections = trackerCapacity },
    };

    [Fact]
    public void CheckTrackerCapacity_ModelEmitsMoreThanTrackerTakes_NamesBothKeysAndBothNumbers()
    {
        var e = Assert.Throws<ConfigurationException>(() => StartupChecks.CheckTrackerCapacity(OneModel(256), [300]));

        Assert.StartsWith("key 'tracker.max_detections': ", e.Message, StringComparison.Ordinal);
        Assert.Contains("at most 256", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.max_detections = 300", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 300", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(256)]
    public void CheckTrackerCapacity_ModelWithinCapacity_Passes(int modelMax)
        => StartupChecks.CheckTrackerCapacity(OneModel(256), [modelMax]);

    [Fact]
    public void CheckTrackerCapacity_FusedModels_SumsTheModelsThatEmitInstances()
    {
        PipelineConfig config = OneModel(256) with
        {
            Model = new ModelOptions(),
            Models = [new ModelOptions { Path = "/a.onnx" }, new ModelOptions { Path = "/road.onnx" }, new ModelOptions { Path = "/b.onnx" }],
        };

        // The semantic-only model in the middle emits no detections: 100 + 0 + 150 fits 256, 200 + 0 + 100 does not.
        StartupChecks.CheckTrackerCapacity(config, [100, 0, 150]);
        var e = Assert.Throws<ConfigurationException>(() => StartupChecks.CheckTrackerCapacity(config, [200, 0, 100]));

        Assert.Contains("up to 300 (models[0].max_detections = 200 + models[2].max_detections = 100)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("models[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("at most 256", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckTrackerCapacity_ConfigFromFile_NamesFileAndLineOfTheTrackerKey()
    {
        string path = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(path, "sources: [ { uri: /v.mp4 } ]\nmodel:\n  path: /m.onnx\n  max_detections: 500\ntracker:\n  max_detections: 64\n");
        var loader = new PipelineConfigLoader();
        PipelineConfig config = loader.Load(path);
        loader.Validate(config); // each section is fine on its own

        var e = Assert.Throws<ConfigurationException>(() => StartupChecks.CheckTrackerCapacity(config, [config.Model.MaxDetections]));

        Assert.StartsWith(path + ":6:3: key 'tracker.max_detections': ", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.max_detections = 500", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, 0, 3)]
    [InlineData(2, 1, 0, 5)]
    [InlineData(3, 4, 2, 18)]
    public void FrameSlotsNeeded_StreamsQueuesAndDrives_CountsEveryHolder(int streams, int queue, int heldByDrives, int expected)
        => Assert.Equal(expected, StartupChecks.FrameSlotsNeeded(streams, new PipelineOptions { QueueCapacity = queue }, heldByDrives));

    [Fact]
    public void CheckFramePool_TooFewSlotsForTheStreams_NamesQueueCapacityAndCounts()
    {
        PipelineConfig config = OneModel(256) with { Pipeline = new PipelineOptions { QueueCapacity = 2 } };
        using var pool = new FramePool(6, FramePool.BytesForBgr(320, 240));

        var e = Assert.Throws<ConfigurationException>(() => StartupChecks.CheckFramePool(config, pool, streams: 2, slotsHeldByDrives: 0, FramePool.BytesForBgr(320, 240)));

        Assert.Contains("pipeline.queue_capacity", e.Message, StringComparison.Ordinal);
        Assert.Contains("has 6 slots", e.Message, StringComparison.Ordinal);
        Assert.Contains("need at least 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFramePool_SlotsSmallerThanTheLargestFrame_Refused()
    {
        using var pool = new FramePool(8, FramePool.BytesForBgr(320, 240));

        var e = Assert.Throws<ConfigurationException>(() => StartupChecks.CheckFramePool(OneModel(256), pool, 1, 0, FramePool.BytesForBgr(1280, 720)));

        Assert.Contains(FramePool.BytesForBgr(1280, 720).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFramePool_EnoughSlotsOfEnoughBytes_Passes()
    {
        using var pool = new FramePool(3, FramePool.BytesForBgr(320, 240));
        StartupChecks.CheckFramePool(OneModel(256), pool, 1, 0, FramePool.BytesForBgr(320, 240));
    }

    /// <summary>Today's failure mode made a start-up error: before, the run started and died on its first busy frame.</summary>
    [AssetFact]
    public void Create_TrackerSmallerThanModel_RefusedBeforeAnyFrameFlows()
    {
        PipelineConfig config = OneModel(50) with
        {
            Model = new ModelOptions { Path = TestAssets.YoloSeg, MaxDetections = 100, WarmupRuns = 0 },
            Publish = new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" },
        };
        new PipelineConfigLoader().Validate(config);

        var e = Assert.Throws<ConfigurationException>(() => SegmentationPipeline.Create(config, new CollectingLog()));

        Assert.Contains("tracker.max_detections", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.max_detections = 100", e.Message, StringComparison.Ordinal);
        Assert.Contains("at most 50", e.Message, StringComparison.Ordinal);
    }

    [AssetFact]
    public void Create_SuppliedPoolTooSmallForTwoStreams_Refused()
    {
        PipelineConfig config = OneModel(256) with
        {
            Sources = [new SourceConfig { Uri = "synthetic:drive?seed=1&size=320x240&fps=30" }, new SourceConfig { Uri = "synthetic:drive?seed=2&size=320x240&fps=30" }],
            Model = new ModelOptions { Path = TestAssets.YoloSeg, WarmupRuns = 0 },
            Publish = new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" },
        };
        using var pool = new FramePool(4, FramePool.BytesForBgr(320, 240), diagnostics: true);

        var e = Assert.Throws<ConfigurationException>(() => SegmentationPipeline.Create(config, new CollectingLog(), pool));

        Assert.Contains("need at least 5", e.Message, StringComparison.Ordinal);
        pool.AssertNoLeaks();
    }
}
