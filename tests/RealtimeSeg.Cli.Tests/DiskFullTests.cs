using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// The disk filling up under a run's outputs, on a real filesystem that fills (a small tmpfs): the recorder and the
/// panoptic dump fail with ENOSPC mid-run, and the run goes on — capture, model, publisher and stats lose nothing — and
/// reports each failing sink (stats, a warning, exit 1) instead of crashing or stalling.
/// </summary>
public sealed class DiskFullTests
{
    private const int Frames = 24;

    [RootFact]
    public void Run_DiskFullUnderRecorderAndPanopticDump_PipelineGoesOnAndReportsEachFailingSink()
    {
        // 192 KB: room for the recording's header and a few frames' PNGs, then full.
        using var disk = new SmallFilesystem(kilobytes: 192);
        using var elsewhere = new TempFolder();
        string stats = Path.Combine(elsewhere.Path, "stats.json");
        string recording = Path.Combine(disk.Path, "run.mcap");

        var (exit, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(3), "run", "--source", "synthetic:drive?seed=3&size=640x360&fps=30",
            "--pace", "lockstep", "--max-frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--record", recording, "--dump-panoptic", Path.Combine(disk.Path, "panoptic"), "--stats", stats, "--publish", CliProcess.AnyPort);

        // Exit 1: the run finished, but a script must learn its outputs are incomplete.
        Assert.True(exit == 1, $"exit {exit}; stderr:\n{stderr}");
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("this is a bug", stderr, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement root = doc.RootElement;
        // Lockstep: every frame captured is published; the failing disk cost the pipeline nothing.
        Assert.Equal(Frames, root.GetProperty("frames_captured").GetInt64());
        Assert.Equal(Frames, root.GetProperty("frames_published").GetInt64());
        Assert.Equal(0, root.GetProperty("frames_dropped").GetInt64());
        Dictionary<string, JsonElement> sinks = root.GetProperty("sinks").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        foreach (string failing in new[] { "recorder", "panoptic-dump" })
        {
            JsonElement sink = sinks[failing];
            Assert.True(sink.TryGetProperty("error", out JsonElement error), $"{failing} did not fail: {sink}");
            Assert.Contains("No space left on device", error.GetString(), StringComparison.Ordinal);
            Assert.Equal(Frames, sink.GetProperty("frames_offered").GetInt64());
            // It failed before the end: the frames after the failure are counted as its losses.
            Assert.InRange(sink.GetProperty("frames_dropped").GetInt64(), 1, Frames);
            Assert.Single(stderr.Split('\n'), l => l.Contains($"sink {failing} failed:", StringComparison.Ordinal));
            Assert.Single(stderr.Split('\n'), l => l.StartsWith($"warning: sink {failing} failed during the run", StringComparison.Ordinal));
        }
        foreach (string healthy in new[] { "zeromq", "stats" })
        {
            JsonElement sink = sinks[healthy];
            Assert.False(sink.TryGetProperty("error", out _), $"{healthy} failed: {sink}");
            Assert.Equal(Frames, sink.GetProperty("frames_offered").GetInt64());
            Assert.Equal(0, sink.GetProperty("frames_dropped").GetInt64());
        }
    }
}
