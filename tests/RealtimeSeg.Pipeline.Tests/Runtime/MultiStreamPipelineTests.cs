using RealtimeSeg.Capture;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// Several streams in one pipeline with real components: real videos, synthetic-drive cameras, the real model shared by
/// all streams, a real publisher and subscriber — and one source that dies mid-run.
/// </summary>
public sealed class MultiStreamPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-streams-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The publisher binds a port the system picks; SegmentationPipeline.PublishEndpoint names it once the run has started.
    private const string AnyPort = "tcp://127.0.0.1:*";

    private string DriveFile(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, body);
        return path;
    }

    /// <summary>Opens sources as the pipeline does, but the stream named by <paramref name="failingIndex"/> dies after <paramref name="failAfter"/> frames.</summary>
    private static Func<string, int, SourceOptions, IPipelineLog, IFrameSource> FailingAt(int failingIndex, int failAfter)
        => (uri, index, options, log) =>
        {
            IFrameSource s = FrameSourceFactory.Open(uri, index, options, log);
            return index == failingIndex ? new FailAfterSource(s, failAfter) : s;
        };

    /// <summary>Opens sources as the pipeline does, each ending its stream once <paramref name="end"/> is cancelled.</summary>
    private static Func<string, int, SourceOptions, IPipelineLog, IFrameSource> EndingOn(CancellationToken end)
        => (uri, index, options, log) => new EndOnSignalSource(FrameSourceFactory.Open(uri, index, options, log), end);

    [AssetFact]
    public async Task RunAsync_TwoVideosADriveAndAFailingSource_EveryOtherStreamPublishesOnItsOwnTopicToTheEnd()
    {
        string drive = DriveFile("drive.yaml", """
            cameras:
              - name: front
                uri: synthetic:drive?seed=1&size=320x240&fps=30
              - name: left
                uri: synthetic:drive?seed=2&size=320x240&fps=30
            """);
        var config = new PipelineConfig
        {
            Pipeline = new PipelineOptions { Pace = Pacing.Lockstep, MaxFrames = 6, WaitForSubscriber = TimeSpan.FromMinutes(1) },
            Sources =
            [
                new SourceConfig { Uri = TestAssets.UdacityCars },
                new SourceConfig { Uri = TestAssets.UdacityHighway },
                new SourceConfig { Uri = "drive:" + drive },
                new SourceConfig { Uri = TestAssets.UdacityHighway, Name = "flaky" },
            ],
            Model = new ModelOptions { Path = TestAssets.YoloSeg },
            Publish = new PublisherOptions { Endpoint = AnyPort },
        };
        new PipelineConfigLoader().Validate(config);
        var log = new CollectingLog();
        using var pool = new FramePool(40, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        using var receiving = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var received = new List<(string Stream, long Seq, List<int> TrackIds)>();
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, log, new PipelineHostOptions { FramePool = pool, Diagnostics = true }, FailingAt(failingIndex: 4, failAfter: 2)))
        {
            Assert.Equal(["s0", "s1", "front", "left", "flaky"], pipeline.StreamNames);
            Task<PipelineReport> run = pipeline.RunAsync(CancellationToken.None);
            // Started: the publisher is bound (its port known); capture waits until the subscriber below has subscribed.
            await Task.WhenAny(pipeline.Started, run).WaitAsync(TimeSpan.FromMinutes(2));
            await pipeline.Started;
            await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = pipeline.PublishEndpoint, BufferCapacity = 64 });
            Task receiver = Task.Run(async () =>
            {
                await foreach (ReceivedFrame f in subscriber.ReadAllAsync(receiving.Token))
                {
                    var ids = new List<int>();
                    foreach (PanopticSegment s in f.Frame.Segments)
                    {
                        if (s.TrackId > 0)
                        {
                            ids.Add((int)s.TrackId);
                        }
                    }
                    lock (received)
                    {
                        received.Add((f.Stream, f.Frame.Sequence, ids));
                        if (received.Count(r => r.Stream != "flaky") == 24)
                        {
                            return;
                        }
                    }
                }
            });
            report = await run.WaitAsync(TimeSpan.FromMinutes(3));
            await receiver.WaitAsync(TimeSpan.FromSeconds(20));
        }
        pool.AssertNoLeaks();

        Assert.Equal(["s0", "s1", "front", "left", "flaky"], report.Streams.Select(s => s.Id));
        foreach (StreamCounters s in report.Streams.Take(4))
        {
            Assert.Null(s.Error);
            Assert.Equal(6, s.FramesCaptured);
            Assert.Equal(6, s.FramesPublished);
            Assert.Equal(6, s.CaptureToPublish.Count);
            Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), received.Where(r => r.Stream == s.Id).Select(r => r.Seq).Order());
        }
        StreamCounters flaky = report.Streams[4];
        Assert.Contains("simulated capture failure", flaky.Error);
        Assert.InRange(flaky.FramesPublished, 0, 2);
        Assert.Contains(log.Lines, l => l.StartsWith("error: stream flaky", StringComparison.Ordinal) && l.Contains("4 other streams go on", StringComparison.Ordinal));
        Assert.Equal(24 + flaky.FramesPublished, report.FramesPublished);

        // Each stream has its own tracker and id space: both videos' first car tracks are number 1.
        foreach (string stream in new[] { "s0", "s1" })
        {
            var ids = received.Where(r => r.Stream == stream).SelectMany(r => r.TrackIds).ToList();
            Assert.NotEmpty(ids);
            Assert.Equal(1, ids.Min());
        }
    }

    [AssetFact]
    public async Task RunAsync_TwoSourcesOutrunningInference_NeitherStarves()
    {
        var config = new PipelineConfig
        {
            Pipeline = new PipelineOptions { Pace = Pacing.Realtime },
            Sources =
            [
                new SourceConfig { Uri = "synthetic:drive?seed=1&size=640x360&fps=60" },
                new SourceConfig { Uri = "synthetic:drive?seed=2&size=640x360&fps=60" },
            ],
            Model = new ModelOptions { Path = TestAssets.YoloSeg },
            Publish = new PublisherOptions { Endpoint = AnyPort },
        };
        using var pool = new FramePool(8, FramePool.BytesForBgr(640, 360), diagnostics: true);
        // The streams end once 12 frames have been published, not after a fixed time: a loaded machine may spend
        // 2.5 s of 60 fps on two inferences, and whether both streams got frames would then be luck.
        var probe = new ProbeSink(signalAt: 12);
        using var end = new CancellationTokenSource();
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(),
            new PipelineHostOptions { FramePool = pool, Sinks = [probe] }, EndingOn(end.Token)))
        {
            Task<PipelineReport> run = pipeline.RunAsync(CancellationToken.None);
            await Task.WhenAny(probe.Arrived, run).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.False(run.IsCompleted, "endless sources' run ended before the test ended their streams");
            await end.CancelAsync();
            report = await run.WaitAsync(TimeSpan.FromMinutes(2));
        }
        pool.AssertNoLeaks();
        StreamCounters a = report.Streams[0], b = report.Streams[1];
        // 60 fps each against a ~0.1–0.3 s model: both drop most frames, and the model alternates between them.
        Assert.True(a.FramesPublished >= 5 && b.FramesPublished >= 5, $"published {a.FramesPublished} and {b.FramesPublished}");
        Assert.InRange(a.FramesPublished - b.FramesPublished, -2, 2);
        Assert.Equal(a.FramesCaptured, a.FramesPublished + a.FramesDropped);
        Assert.Equal(b.FramesCaptured, b.FramesPublished + b.FramesDropped);
        Assert.True(a.FramesDropped > 0 && b.FramesDropped > 0, "sources outrunning inference drop frames, counted per stream");
    }

    [AssetFact]
    public async Task RunAsync_TheOnlySourceFails_ThrowsItsFailure()
    {
        var config = new PipelineConfig
        {
            Pipeline = new PipelineOptions { Pace = Pacing.Lockstep },
            Sources = [new SourceConfig { Uri = TestAssets.UdacityCars }],
            Model = new ModelOptions { Path = TestAssets.YoloSeg },
            Publish = new PublisherOptions { Endpoint = AnyPort },
        };
        using var pool = new FramePool(4, FramePool.BytesForBgr(1280, 720), diagnostics: true);
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(config, new CollectingLog(), new PipelineHostOptions { FramePool = pool, Diagnostics = true }, FailingAt(0, 3)))
        {
            var e = await Assert.ThrowsAsync<IOException>(() => pipeline.RunAsync(CancellationToken.None));
            Assert.Contains("after 3 frames", e.Message);
        }
        pool.AssertNoLeaks();
    }

    [Fact]
    public void Create_TwoStreamsWithOneName_ThrowsConfigurationExceptionNamingIt()
    {
        string drive = DriveFile("d.yaml", "cameras:\n  - name: s1\n    uri: synthetic:drive?seed=1&size=320x240&fps=30\n");
        var config = new PipelineConfig
        {
            Sources = [new SourceConfig { Uri = "synthetic:drive?seed=1&size=320x240&fps=30" }, new SourceConfig { Uri = "synthetic:drive?seed=2&size=320x240&fps=30", Name = "s1" }, new SourceConfig { Uri = "drive:" + drive }],
            Model = new ModelOptions { Path = "/nonexistent/model.onnx" },
        };
        var e = Assert.Throws<ConfigurationException>(() => SegmentationPipeline.Create(config, new CollectingLog()));
        Assert.Contains("'s1' is used twice", e.Message);
    }
}
