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
            using var stalled = new ClientWebSocket();
            await stalled.ConnectAsync(new Uri($"ws://{url.Authority}/ws"), CancellationToken.None);
            // Never read, never acknowledge: after its two frames in flight every frame offered to it is skipped.
            using var http = new HttpClient { BaseAddress = url };
            long deadline = Environment.TickCount64 + (long)TimeSpan.FromMinutes(3).TotalMilliseconds;
            while (true)
            {
                string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
                skipped = EndpointTests.Value(metrics, "rseg_viewer_frames_skipped_total");
                if (skipped >= 20)
                {
                    break;
                }
                Assert.True(Environment.TickCount64 < deadline, $"the stalled client missed only {skipped} frames in 3 minutes");
                await Task.Delay(100);
            }
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
