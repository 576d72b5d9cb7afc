using System.Diagnostics;
using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// The network-source acceptance run: <c>realtimeseg run</c> on a live stream from a real RTSP server with the real
/// YOLOv8n-seg model, the server killed and restarted twice under it.
/// </summary>
public sealed class RtspRunTests
{
    [RtspFact(needsAssets: true)]
    public void Run_RtspServerKilledAndRestartedTwice_KeepsRunningPublishes250FramesAndCountsReconnects()
    {
        // 5 fps, below the model's pace on this machine: in lockstep a faster stream piles up in ffmpeg's and the
        // kernel's buffers, and a kill would only be noticed once that backlog is decoded.
        using RtspTestServer server = RtspTestServer.Start("/cam", size: "320x240", fps: 5);
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-rtsp-stats-{Guid.NewGuid():N}.json");
        // Lockstep: the pipeline takes every frame ffmpeg decodes, so 300 frames (60 s of stream) span both outages.
        using CliProcess run = CliProcess.Start("run", "--source", server.Url, "--model", TestAssets.YoloSeg, "--max-frames", "300",
            "--pace", "lockstep", "--stats", stats, "--publish", CliProcess.AnyPort);
        try
        {
            WaitFor(() => run.Stderr.Contains("stream started", StringComparison.Ordinal), TimeSpan.FromSeconds(60), run);
            for (int outage = 1; outage <= 2; outage++)
            {
                // Not a wait for anything: the stream runs healthy for a while (40 frames at 5 fps) before each outage.
                Thread.Sleep(TimeSpan.FromSeconds(8));
                server.Kill();
                int expected = outage;
                // The server stays down until the run has noticed the loss, however long a loaded machine takes.
                WaitFor(() => CountOf(run.Stderr, "stream lost") >= expected, TimeSpan.FromSeconds(60), run);
                server.Restart();
                WaitFor(() => CountOf(run.Stderr, "stream recovered") >= expected, TimeSpan.FromSeconds(60), run);
            }

            int exit = run.WaitForExit(TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"run exited {exit}: {run.Stderr}");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
            JsonElement stream = doc.RootElement.GetProperty("streams")[0];
            long published = stream.GetProperty("frames_published").GetInt64();
            long reconnects = stream.GetProperty("reconnects").GetInt64();
            Assert.True(published >= 250, $"{published} frames published; stderr:\n{run.Stderr}");
            Assert.True(reconnects >= 2, $"{reconnects} reconnects; stderr:\n{run.Stderr}");
            // Loss and recovery are logged once per outage, never per frame.
            Assert.Equal(reconnects, CountOf(run.Stderr, "stream lost"));
            Assert.Equal(reconnects, CountOf(run.Stderr, "stream recovered"));
        }
        finally
        {
            File.Delete(stats);
        }
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    private static void WaitFor(Func<bool> condition, TimeSpan timeout, CliProcess run)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"not within {timeout.TotalSeconds} s; stderr so far:\n{run.Stderr}");
            Thread.Sleep(100);
        }
    }
}
