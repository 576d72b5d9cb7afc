using System.Net.WebSockets;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Web.Tests;

/// <summary>
/// A viewer client that connects and never reads costs the pipeline nothing: in lockstep (where any loss would be a
/// counted drop) the run loses no frame, the viewer sink drops none, and the stalled client just misses frames (its
/// newest one replaces the waiting one).
/// </summary>
public sealed class StalledViewerTests
{
    /// <summary>Frames the reading client receives, each of which was offered to the stalled one too.</summary>
    private const int OfferedFrames = 25;

    [Fact]
    public async Task Run_WebSocketClientNeverReads_PipelineAndViewerSinkDropNothing()
    {
        var config = ViewerPipelineFixture.DemoConfig("127.0.0.1:0");
        config = config with
        {
            Sources = [config.Sources[0] with { Uri = "synthetic:drive?seed=2&size=640x360&fps=30" }],
            Model = config.Model with { WarmupRuns = 0 },
        };
        using var stop = new CancellationTokenSource();
        PipelineReport report;
        double skipped;
        await using (SegmentationPipeline pipeline = await SegmentationPipeline.CreateAsync(config, new CollectingLog(), null, CancellationToken.None))
        {
            Task<PipelineReport> run = pipeline.RunAsync(stop.Token);
            await Task.WhenAny(pipeline.Started, run).WaitAsync(TimeSpan.FromMinutes(2));
            await pipeline.Started;
            Uri url = pipeline.HttpAddress!;
            using ViewerSocket stalled = await ViewerSocket.ConnectAsync(url);
            // Its first message (the stream table) shows the hub has it; from then on it never reads again: after its
            // two frames in flight, each frame offered to it replaces the one waiting, which is counted skipped.
            await stalled.ReceiveAsync(WebSocketMessageType.Text);
            // A client that reads: the hub offers each frame to the clients in the order they came, so each frame this
            // one receives was offered to the stalled one before.
            using (ViewerSocket reading = await ViewerSocket.ConnectAsync(url))
            {
                for (int i = 0; i < OfferedFrames; i++)
                {
                    await reading.ReceiveAsync(WebSocketMessageType.Binary);
                }
            }
            using var http = new HttpClient { BaseAddress = url };
            skipped = EndpointTests.Value(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)), "rseg_viewer_frames_skipped_total");
            Assert.True(skipped >= OfferedFrames - 3, $"the stalled client was offered at least {OfferedFrames} frames, but only {skipped} were counted skipped");
            await stop.CancelAsync();
            report = await run.WaitAsync(TimeSpan.FromMinutes(2));
            stalled.Abort();
        }

        Assert.True(report.FramesPublished >= 22, $"published {report.FramesPublished}");
        Assert.Equal(0, report.FramesDropped);
        Assert.Equal(report.FramesProcessed, report.FramesPublished);
        SinkCounters viewer = report.Sinks.Single(s => s.Name == "viewer");
        Assert.Equal(report.FramesPublished, viewer.FramesOffered);
        Assert.Equal(0, viewer.FramesDropped);
    }
}
