using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// The issue's acceptance run, through two real processes on 127.0.0.1: <c>realtimeseg run</c> on the real
/// dash-cam video with the real YOLOv8n-seg model in lockstep, and <c>realtimeseg subscribe --json</c> beside it.
/// </summary>
public sealed class EndToEndTests
{
    [AssetFact]
    public void RunAndSubscribe_UdacityCars_SubscriberSeesTrackedCarsAndStatsHaveEveryKey()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-stats-{Guid.NewGuid():N}.json");
        // The run holds capture until the subscriber, started once the run has named its port, has subscribed: no frame is lost to a slow join.
        var (publisher, sub, _) = CliProcess.StartWithSubscriber(
            ["run", "--source", TestAssets.UdacityCars, "--model", TestAssets.YoloSeg, "--pace", "lockstep", "--stats", stats],
            "--count", "30", "--json", "--timeout", "120");
        using CliProcess run = publisher;
        using CliProcess subscriber = sub;
        try
        {
            int runExit = run.WaitForExit(TimeSpan.FromMinutes(4));
            Assert.True(runExit == 0, $"run exited {runExit}: {run.Stderr}");
            int subExit = subscriber.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.True(subExit == 0, $"subscribe exited {subExit}: {subscriber.Stderr}");

            string[] lines = subscriber.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length >= 30, $"subscriber printed {lines.Length} frames");
            var carTrackFrames = new Dictionary<int, int>();
            long previousSeq = -1;
            foreach (string line in lines)
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                JsonElement f = doc.RootElement;
                foreach (string key in new[] { "stream", "seq", "width", "height", "capture_time_unix_ns", "latency_ms", "segments" })
                {
                    Assert.True(f.TryGetProperty(key, out _), $"frame JSON lacks '{key}': {line}");
                }
                Assert.Equal("s0", f.GetProperty("stream").GetString());
                Assert.Equal(1280, f.GetProperty("width").GetInt32());
                Assert.Equal(720, f.GetProperty("height").GetInt32());
                long seq = f.GetProperty("seq").GetInt64();
                Assert.True(seq > previousSeq, "sequence numbers increase");
                previousSeq = seq;
                foreach (JsonElement s in f.GetProperty("segments").EnumerateArray())
                {
                    foreach (string key in new[] { "id", "category", "category_name", "is_thing", "track_id", "score", "bbox", "area" })
                    {
                        Assert.True(s.TryGetProperty(key, out _), $"segment JSON lacks '{key}'");
                    }
                    if (s.GetProperty("category_name").GetString() == "car" && s.GetProperty("track_id").GetInt32() > 0)
                    {
                        int id = s.GetProperty("track_id").GetInt32();
                        carTrackFrames[id] = carTrackFrames.GetValueOrDefault(id) + 1;
                    }
                }
            }
            Assert.True(carTrackFrames.Count > 0 && carTrackFrames.Values.Max() >= 20,
                $"no car track id in ≥ 20 frames: {string.Join(", ", carTrackFrames.Select(kv => $"#{kv.Key}×{kv.Value}"))}");

            using JsonDocument statsDoc = JsonDocument.Parse(File.ReadAllText(stats));
            JsonElement root = statsDoc.RootElement;
            foreach (string key in new[] { "frames_captured", "frames_processed", "frames_published", "frames_dropped", "streams", "latency_ms",
                                           "throughput_fps", "managed_alloc_bytes_per_frame", "gc_gen2_collections", "execution_provider", "models" })
            {
                Assert.True(root.TryGetProperty(key, out _), $"stats lack '{key}'");
            }
            Assert.Equal(38, root.GetProperty("frames_captured").GetInt64());
            Assert.Equal(38, root.GetProperty("frames_published").GetInt64());
            Assert.Equal(0, root.GetProperty("frames_dropped").GetInt64());
            JsonElement stream = root.GetProperty("streams")[0];
            foreach (string key in new[] { "id", "frames_captured", "frames_published", "frames_dropped", "reconnects" })
            {
                Assert.True(stream.TryGetProperty(key, out _), $"stream stats lack '{key}'");
            }
            foreach (string stage in new[] { "capture_to_publish", "queue_wait", "preprocess", "inference", "postprocess", "tracking", "compose", "publish" })
            {
                JsonElement l = root.GetProperty("latency_ms").GetProperty(stage);
                foreach (string key in new[] { "p50", "p90", "p99", "max", "count" })
                {
                    Assert.True(l.TryGetProperty(key, out _), $"latency_ms.{stage} lacks '{key}'");
                }
                Assert.Equal(38, l.GetProperty("count").GetInt64());
            }
            Assert.Equal("CPUExecutionProvider", root.GetProperty("execution_provider").GetString()); // the only provider this build has
            JsonElement model = root.GetProperty("models")[0];
            Assert.EndsWith("yolov8n-seg-int8-320.onnx", model.GetProperty("path").GetString());
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
