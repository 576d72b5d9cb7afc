using RealtimeSeg.Capture;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Drives;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// The whole pipeline in-process with real components: the real dash-cam video, the real YOLOv8n-seg model on
/// ONNX Runtime, the tracker, the composer and a real ZeroMQ publisher and subscriber on 127.0.0.1.
/// </summary>
public sealed class PipelineIntegrationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // The publisher binds a port the system picks (no free-port guess another process could take first);
    // SegmentationPipeline.PublishEndpoint names it once the run has started.
    private const string AnyPort = "tcp://127.0.0.1:*";

    private static PipelineConfig Config(Pacing pace, long maxFrames = 0) => new()
    {
        Pipeline = new PipelineOptions { Pace = pace, MaxFrames = maxFrames },
        Sources = [new SourceConfig { Uri = TestAssets.UdacityCars }],
        Model = new ModelOptions { Path = TestAssets.YoloSeg },
        Publish = new PublisherOptions { Endpoint = AnyPort },
    };

    [AssetFact]
    public async Task RunAsync_UdacityCarsLockstep_SubscriberReceivesEveryFrameWithStableCarTracks()
    {
        // The subscriber must see frame 0 too: capture is held until its subscription has reached the publisher.
        PipelineConfig config = Config(Pacing.Lockstep) with
        {
            Pipeline = new PipelineOptions { Pace = Pacing.Lockstep, WaitForSubscriber = TimeSpan.FromMinutes(1) },
        };
        new PipelineConfigLoader().Validate(config);
        var log = new CollectingLog();
        using var pool = new FramePool(4, FramePool.BytesForBgr(1280, 720), diagnostics: true);

        using var receiving = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var received = new List<(long Seq, List<PanopticSegment> Segments, int MapWidth, ushort[] Map, string? Names)>();
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, log, pool))
        {
            Task<PipelineReport> run = pipeline.RunAsync(CancellationToken.None);
            // Started: the publisher is bound (its port known) and the run waits for a subscriber before capturing.
            await Task.WhenAny(pipeline.Started, run).WaitAsync(Timeout);
            await pipeline.Started;
            await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = pipeline.PublishEndpoint });
            Task receiver = Task.Run(async () =>
            {
                await foreach (ReceivedFrame f in subscriber.ReadAllAsync(receiving.Token))
                {
                    var segs = new List<PanopticSegment>();
                    foreach (PanopticSegment s in f.Frame.Segments)
                    {
                        segs.Add(s);
                    }
                    string? names = null;
                    if (f.Categories is not null && f.Categories.TryGet(2, out Category? car))
                    {
                        names = car.Name;
                    }
                    received.Add((f.Frame.Sequence, segs, f.Frame.MapWidth, f.Frame.Map.ToArray(), names));
                    if (received.Count == 38)
                    {
                        return;
                    }
                }
            });
            report = await run.WaitAsync(TimeSpan.FromMinutes(3));
            await receiver.WaitAsync(TimeSpan.FromSeconds(20));
        }
        pool.AssertNoLeaks();

        Assert.Equal(38, report.FramesCaptured);
        Assert.Equal(38, report.FramesPublished);
        Assert.Equal(0, report.FramesDropped);
        Assert.Equal(38, received.Count);
        Assert.Equal(Enumerable.Range(0, 38).Select(i => (long)i), received.Select(r => r.Seq));
        Assert.Equal("car", received[0].Names);

        // Cars are segmented with real masks: pixels inside the segment's box, covering part (not all) of it.
        int framesWithCars = 0;
        foreach (var frame in received)
        {
            var cars = frame.Segments.Where(s => s.CategoryId == 2 && s.IsThing).ToList();
            if (cars.Count > 0)
            {
                framesWithCars++;
                // The best car is seen whole: its mask fills a real share of the box around its pixels.
                PanopticSegment best = cars.MaxBy(c => c.Score);
                float fill = best.Area / (best.BboxWidth * best.BboxHeight);
                Assert.InRange(fill, 0.3f, 1.0f);
            }
            int divisor = 1280 / frame.MapWidth;
            foreach (PanopticSegment car in cars)
            {
                Assert.True(car.TrackId > 0, "every published car carries a track id");
                Assert.Equal(SegmentFlags.None, car.Flags & SegmentFlags.BoxMask);
                float boxArea = car.BboxWidth * car.BboxHeight;
                Assert.InRange(car.Area, 1f, boxArea + divisor * divisor * 4);
                int inside = 0, total = 0;
                for (int i = 0; i < frame.Map.Length; i++)
                {
                    if (frame.Map[i] != car.Id)
                    {
                        continue;
                    }
                    total++;
                    float x = (i % frame.MapWidth + 0.5f) * divisor, y = (i / frame.MapWidth + 0.5f) * divisor;
                    if (x >= car.BboxX - divisor && x <= car.BboxX + car.BboxWidth + divisor && y >= car.BboxY - divisor && y <= car.BboxY + car.BboxHeight + divisor)
                    {
                        inside++;
                    }
                }
                Assert.True(total > 0 && inside == total, $"car segment {car.Id}: {inside}/{total} pixels inside its box");
            }
        }
        Assert.True(framesWithCars >= 30, $"cars found in only {framesWithCars} of 38 frames");

        // Track ids persist across consecutive frames: the longest-lived car track spans most of the clip.
        var lifetimes = received.SelectMany(f => f.Segments.Where(s => s.CategoryId == 2 && s.TrackId > 0).Select(s => s.TrackId))
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(lifetimes.Values.Max() >= 25, $"car track lifetimes: {string.Join(", ", lifetimes.Select(kv => $"#{kv.Key}×{kv.Value}"))}");
        for (int i = 1; i < received.Count; i++)
        {
            var before = received[i - 1].Segments.Where(s => s.TrackId > 0).Select(s => s.TrackId).ToHashSet();
            var now = received[i].Segments.Where(s => s.TrackId > 0).Select(s => s.TrackId).ToHashSet();
            if (before.Count > 0 && now.Count > 0)
            {
                Assert.True(before.Overlaps(now), $"no track id carried from frame {i - 1} to {i}");
            }
        }

        foreach (LatencyStage stage in Enum.GetValues<LatencyStage>())
        {
            Assert.Equal(38, report.Latency[stage].Count);
        }
        Assert.Contains(log.Lines, l => l.Contains("pipeline: s0", StringComparison.Ordinal));
    }

    [AssetFact]
    public async Task RunAsync_MaxPaceWithMaxFrames_DropsAreCountedAndNothingLeaks()
    {
        PipelineConfig config = Config(Pacing.Max, maxFrames: 30);
        using var pool = new FramePool(4, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(), pool))
        {
            report = await pipeline.RunAsync(CancellationToken.None);
        }
        pool.AssertNoLeaks();
        Assert.Equal(30, report.FramesCaptured);
        // Decoding outruns a ~0.2 s model by far: most frames must be dropped, and every frame is accounted for.
        Assert.True(report.FramesDropped > 0, "max pace with a slow model drops frames");
        Assert.Equal(report.FramesCaptured, report.FramesPublished + report.FramesDropped);
    }

    [AssetFact]
    public async Task Status_AfterARun_AgreesWithTheReportAndAllocatesNothing()
    {
        PipelineConfig config = Config(Pacing.Lockstep, maxFrames: 5);
        await using SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog());
        PipelineReport report = await pipeline.RunAsync(CancellationToken.None);

        PipelineStatus status = pipeline.Status();

        LatencySummary e2e = report.Latency[LatencyStage.CaptureToPublish];
        Assert.Equal(5, status.FramesPublished);
        Assert.Equal((report.FramesPublished, report.FramesDropped, report.ActiveTracks), (status.FramesPublished, status.FramesDropped, status.ActiveTracks));
        Assert.Equal((e2e.P50, e2e.P99), (status.CaptureToPublishP50, status.CaptureToPublishP99));
        Assert.Equal(report.ExecutionProvider, status.ExecutionProvider);
        // The demo's status line polls this twice a second for the whole run: it must not count against the budget.
        Assert.Equal(0, AllocationProbe.MinAllocatedBytes(() => pipeline.Status()));
    }

    [AssetFact]
    public async Task RunAsync_WaitForSubscriberWithNobody_WarnsAndStartsAnyway()
    {
        PipelineConfig config = Config(Pacing.Lockstep, maxFrames: 2) with
        {
            Pipeline = new PipelineOptions { Pace = Pacing.Lockstep, MaxFrames = 2, WaitForSubscriber = TimeSpan.FromMilliseconds(300) },
        };
        var log = new CollectingLog();
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, log))
        {
            report = await pipeline.RunAsync(CancellationToken.None);
        }
        Assert.Equal(2, report.FramesPublished);
        Assert.Contains(log.Lines, l => l.Contains("no subscriber", StringComparison.Ordinal));
    }

    [AssetFact]
    public async Task RunAsync_CancelledMidRun_StopsCleanlyWithoutLeaks()
    {
        // A looping source never ends by itself: only the cancellation can stop this run, and it comes mid-run,
        // once the first frame has come through every stage (not after a timer that may run out before the model
        // has even loaded on a busy machine).
        PipelineConfig config = Config(Pacing.Realtime) with { Playback = new PlaybackOptions { Loop = true } };
        using var pool = new FramePool(4, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        var probe = new ProbeSink();
        using var stop = new CancellationTokenSource();
        PipelineReport report;
        // Diagnostics: composed frames come from a diagnostic pool and the run fails at its end if one is still out.
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(),
            new PipelineHostOptions { FramePool = pool, Sinks = [probe], Diagnostics = true }))
        {
            Task<PipelineReport> run = pipeline.RunAsync(stop.Token);
            await Task.WhenAny(probe.Arrived, run).WaitAsync(Timeout);
            Assert.False(run.IsCompleted, "a looping source's run ended before it was stopped");

            await stop.CancelAsync();

            report = await run.WaitAsync(Timeout);
        }
        pool.AssertNoLeaks();
        Assert.True(report.FramesPublished >= 1, "the first frame was published before the stop");
        Assert.True(report.FramesCaptured >= report.FramesPublished);
        Assert.Null(Assert.Single(report.Streams).Error);
    }

    [AssetFact]
    public async Task RunAsync_PreprocessAheadOrJustInTime_PublishesTheSameFrames()
    {
        // Ahead (a thread of its own, one frame ahead) and just in time (the default but in lockstep) letterbox the same pixels into
        // the same inputs: the frames that come out must not depend on which thread did it, or when.
        IReadOnlyList<string> ahead = await SegmentLinesAsync(PreprocessTiming.Ahead);
        IReadOnlyList<string> justInTime = await SegmentLinesAsync(PreprocessTiming.JustInTime);

        Assert.Equal(12, ahead.Count);
        Assert.Contains(ahead, line => line.Contains(" c", StringComparison.Ordinal));
        Assert.Equal(justInTime, ahead);
    }

    [AssetTheory]
    [InlineData(Pacing.Lockstep, PreprocessTiming.Auto, true)]     // every frame processed: throughput, letterbox beside the run
    [InlineData(Pacing.Realtime, PreprocessTiming.Auto, false)]    // a live source: the freshest frame, letterbox right before the run
    [InlineData(Pacing.Max, PreprocessTiming.Auto, false)]
    [InlineData(Pacing.Realtime, PreprocessTiming.Ahead, true)]
    [InlineData(Pacing.Lockstep, PreprocessTiming.JustInTime, false)]
    public async Task Create_PreprocessTiming_AutoIsAheadInLockstepOnly(Pacing pace, PreprocessTiming preprocess, bool ahead)
    {
        PipelineConfig config = Config(pace, maxFrames: 1);
        config = config with { Pipeline = config.Pipeline with { Preprocess = preprocess } };
        await using SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(), new PipelineHostOptions());

        Assert.Equal(ahead, pipeline.PreprocessesAhead);
    }

    private static async Task<IReadOnlyList<string>> SegmentLinesAsync(PreprocessTiming preprocess)
    {
        PipelineConfig config = Config(Pacing.Lockstep, maxFrames: 12);
        config = config with { Pipeline = config.Pipeline with { Preprocess = preprocess } };
        FrameRecordSink<string> sink = FrameRecords.Segments();
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(), new PipelineHostOptions { Sinks = [sink], Diagnostics = true }))
        {
            PipelineReport report = await pipeline.RunAsync(CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(0, report.FramesDropped);
        }
        return sink.Records;
    }

    [AssetFact]
    public async Task RunAsync_CameraMotionOn_EveryFrameCompensatedNothingLeaks()
    {
        // tracker.camera_motion: sparse_flow through the real spine: each frame is shrunk on the inference thread while
        // its slot is held and estimated on the tracking stage; the time lands in the composed frame (0 would mean the
        // grey copy never travelled), and the diagnostic pools fail the run on a leak.
        PipelineConfig config = Config(Pacing.Lockstep, maxFrames: 8) with { Tracker = new Tracking.TrackerOptions { CameraMotion = Tracking.CameraMotionMode.SparseFlow } };
        new PipelineConfigLoader().Validate(config);
        FrameRecordSink<long> sink = FrameRecords.CameraMotionTimes();
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(), new PipelineHostOptions { Sinks = [sink], Diagnostics = true }))
        {
            PipelineReport report = await pipeline.RunAsync(CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(8, report.FramesPublished);
        }

        Assert.Equal(8, sink.Records.Count);
        Assert.All(sink.Records, ns => Assert.True(ns > 0, "every frame carries its camera-motion time"));
    }

    [AssetFact]
    public void Create_SemanticModelAsYoloSeg_ThrowsModelLoadExceptionWithShapes()
    {
        PipelineConfig config = Config(Pacing.Lockstep) with
        {
            Model = new ModelOptions { Path = TestAssets.RoadSegmentation, Decoder = "yolo-seg" },
        };
        var e = Assert.Throws<ModelLoadException>(() => SegmentationPipeline.Create(config, new CollectingLog()));
        Assert.Contains("512", e.Message);
        Assert.Contains("output0", e.Message);
    }

    [Fact]
    public void Create_MissingSource_ThrowsSourceUnavailableNamingThePath()
    {
        PipelineConfig config = new()
        {
            Sources = [new SourceConfig { Uri = "/nonexistent/drive.mp4" }],
            Model = new ModelOptions { Path = "/nonexistent/model.onnx" },
        };
        var e = Assert.Throws<SourceUnavailableException>(() => SegmentationPipeline.Create(config, new CollectingLog()));
        Assert.Contains("/nonexistent/drive.mp4", e.Message);
    }
}
