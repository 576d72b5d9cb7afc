using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.Runtime.Sinks;

/// <summary>
/// Sinks behind their own queues, with the real bundled model on the synthetic drive: a stalled or failing sink costs
/// only its own frames (counted), never the pipeline's or another sink's; every composed frame goes back to its pool.
/// </summary>
public sealed class SinkIsolationTests
{
    private static readonly string BundledModel = Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx");

    private static PipelineConfig Config(Pacing pace, long frames) => new()
    {
        Pipeline = new PipelineOptions { Pace = pace, MaxFrames = frames },
        Sources = [new SourceConfig { Uri = "synthetic:drive?seed=3&size=640x360&fps=30" }],
        Model = new ModelOptions { Path = BundledModel, WarmupRuns = 0 },
        Publish = new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" },
    };

    [Fact]
    public async Task RunAsync_OneSinkStalled_OtherSinksGetEveryPublishedFrameAndOnlyTheStalledOneDrops()
    {
        var stalled = new StalledSink(capacity: 1);
        var steady = new CountingSink("steady");
        using var pool = new FramePool(8, FramePool.BytesForBgr(640, 360), diagnostics: true);
        var host = new PipelineHostOptions { FramePool = pool, Diagnostics = true, Sinks = [stalled, steady] };
        PipelineReport report;
        using var stop = new CancellationTokenSource();
        // An endless source, stopped by the test: however slow the machine, the run lasts until the checks are done.
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(Config(Pacing.Realtime, 0), new CollectingLog(), host))
        {
            Task<PipelineReport> run = pipeline.RunAsync(stop.Token);
            await stalled.Holding.Task.WaitAsync(TimeSpan.FromMinutes(2));
            // While the stalled sink holds its first frame, frames keep flowing to the others.
            await WaitForAsync(() => steady.Sequences.Count >= 6, run);
            stalled.Unblock();
            await WaitForAsync(() => steady.Sequences.Count >= 10, run);
            await stop.CancelAsync();
            report = await run.WaitAsync(TimeSpan.FromMinutes(3));
        }
        pool.AssertNoLeaks();

        SinkCounters stalledCounters = report.Sinks.Single(s => s.Name == "stalled");
        SinkCounters steadyCounters = report.Sinks.Single(s => s.Name == "steady");
        Assert.Equal(report.FramesPublished, steady.Sequences.Count);
        Assert.Equal(0, steadyCounters.FramesDropped);
        Assert.Equal(report.FramesPublished, stalledCounters.FramesOffered);
        // Held one, queued one of the 6+ offered meanwhile: the rest were evicted, and every loss is counted.
        Assert.True(stalledCounters.FramesDropped >= 4, $"stalled sink dropped {stalledCounters.FramesDropped}");
        Assert.True(stalledCounters.FramesOffered == stalled.Received + stalledCounters.FramesDropped,
            $"stalled sink: {stalledCounters.FramesOffered} offered, {stalled.Received} received + {stalledCounters.FramesDropped} dropped; ends seen {stalled.Ends}; " +
            $"run: {report.FramesCaptured} captured, {report.FramesProcessed} processed, {report.FramesPublished} published, {report.FramesDropped} dropped");
        // The pipeline lost nothing it did not count: every processed frame was published, or dropped oldest-first
        // between composition and encoding (realtime pacing; a Debug build on a loaded machine can fall behind there)
        // and counted. That the stalled sink did not hold the spine back is the wait above: the steady sink got frames
        // while the stalled one held its first.
        StreamCounters stream = Assert.Single(report.Streams);
        Assert.Equal(report.FramesProcessed, report.FramesPublished + stream.FramesDroppedAfterProcessing);
        // Stopped by the caller: the stream's end says so, and reached even the stalled sink's neighbours.
        Assert.Equal([("s0", StreamEndReason.Stopping)], steady.Ends);
    }

    [Fact]
    public async Task RunAsync_SinkFails_RunGoesOnReportsTheSinkAndCountsItsLaterFramesAsDropped()
    {
        var failing = new FailingSink(failOn: 3);
        var steady = new CountingSink("steady");
        var log = new CollectingLog();
        var host = new PipelineHostOptions { Diagnostics = true, Sinks = [failing, steady] };
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(Config(Pacing.Lockstep, 12), log, host))
        {
            report = await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        }

        Assert.Equal(12, report.FramesPublished);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), steady.Sequences);
        SinkCounters failed = report.Sinks.Single(s => s.Name == "failing");
        Assert.Contains("No space left on device", failed.Error, StringComparison.Ordinal);
        Assert.Equal(12, failed.FramesOffered);
        Assert.Equal(12 - 3, failed.FramesDropped);
        Assert.Contains(log.Lines, l => l.Contains("sink failing failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Lockstep_EverySinkGetsEveryFrameInOrder()
    {
        var a = new CountingSink("a", capacity: 1);
        var b = new CountingSink("b", capacity: 4);
        var host = new PipelineHostOptions { Diagnostics = true, Sinks = [a, b] };
        PipelineReport report;
        await using (SegmentationPipeline pipeline = SegmentationPipeline.Create(Config(Pacing.Lockstep, 20), new CollectingLog(), host))
        {
            report = await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        }

        Assert.Equal(20, report.FramesPublished);
        Assert.Equal(0, report.FramesDropped);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), a.Sequences);
        Assert.Equal(a.Sequences, b.Sequences);
        // The source ended by itself: one end of stream, after the last frame, in every sink.
        Assert.Equal([("s0", StreamEndReason.Completed)], a.Ends);
        Assert.Equal(a.Ends, b.Ends);
        Assert.All(report.Sinks, s => Assert.Equal(0, s.FramesDropped));
        Assert.Equal(["stats", "zeromq", "a", "b"], report.Sinks.Select(s => s.Name));
    }

    [Fact]
    public void Create_TwoSinksWithOneName_ConfigurationErrorNamesIt()
    {
        var host = new PipelineHostOptions { Sinks = [new CountingSink("zeromq")] };

        var e = Assert.Throws<ConfigurationException>(() => SegmentationPipeline.Create(Config(Pacing.Lockstep, 1), new CollectingLog(), host));

        Assert.Contains("'zeromq'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Waits for a condition the run makes true (polled: frames arriving have no single event), failing fast if the run ends first.</summary>
    private static async Task WaitForAsync(Func<bool> condition, Task run)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition())
        {
            Assert.False(run.IsCompleted, "the run ended before the condition held");
            await Task.Delay(10, timeout.Token);
        }
    }
}
