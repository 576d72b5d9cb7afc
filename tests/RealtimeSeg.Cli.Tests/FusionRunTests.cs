using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// Multi-model fusion's acceptance run: <c>realtimeseg run --config configs/drive-panoptic.yaml</c> (YOLOv8n-seg things
/// + road-segmentation-adas stuff) on the real highway video in lockstep, with <c>realtimeseg subscribe --json</c> beside it.
/// </summary>
public sealed class FusionRunTests
{
    private const int Frames = 40;

    [AssetFact]
    public void RunAndSubscribe_DrivePanopticOnHighway_FramesHoldRoadStuffAndTrackedCarsAtOnce()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-fusion-stats-{Guid.NewGuid():N}.json");
        string config = Path.Combine(TestAssets.RepositoryRoot, "configs", "drive-panoptic.yaml");
        var (publisher, sub, _) = CliProcess.StartWithSubscriber(
            ["run", "--config", config, "--source", TestAssets.UdacityHighway, "--pace", "lockstep",
             "--max-frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stats", stats],
            "--count", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", "--timeout", "180");
        using CliProcess run = publisher;
        using CliProcess subscriber = sub;
        try
        {
            int runExit = run.WaitForExit(TimeSpan.FromMinutes(5));
            Assert.True(runExit == 0, $"run exited {runExit}: {run.Stderr}");
            int subExit = subscriber.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.True(subExit == 0, $"subscribe exited {subExit}: {subscriber.Stderr}");

            string[] lines = subscriber.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Frames, lines.Length);
            int bothAtOnce = 0;
            var carTrackFrames = new Dictionary<int, int>();
            foreach (string line in lines)
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                bool road = false, trackedCar = false;
                foreach (JsonElement s in doc.RootElement.GetProperty("segments").EnumerateArray())
                {
                    string? name = s.GetProperty("category_name").GetString();
                    bool thing = s.GetProperty("is_thing").GetBoolean();
                    int track = s.GetProperty("track_id").GetInt32();
                    if (name == "road")
                    {
                        Assert.False(thing, "road is stuff");
                        Assert.Equal(0, track);
                        road = true;
                    }
                    if (name == "car")
                    {
                        Assert.True(thing, "car is a thing");
                        if (track > 0)
                        {
                            trackedCar = true;
                            carTrackFrames[track] = carTrackFrames.GetValueOrDefault(track) + 1;
                        }
                    }
                }
                bothAtOnce += road && trackedCar ? 1 : 0;
            }
            Assert.True(bothAtOnce >= Frames / 2, $"only {bothAtOnce} of {Frames} frames hold road and a tracked car together");
            Assert.True(carTrackFrames.Count > 0 && carTrackFrames.Values.Max() >= Frames / 2,
                $"no car track id persists over {Frames / 2} frames: {string.Join(", ", carTrackFrames.Select(kv => $"#{kv.Key}×{kv.Value}"))}");

            using JsonDocument statsDoc = JsonDocument.Parse(File.ReadAllText(stats));
            JsonElement root = statsDoc.RootElement;
            Assert.Equal(Frames, root.GetProperty("frames_published").GetInt64());
            JsonElement models = root.GetProperty("models");
            Assert.Equal(2, models.GetArrayLength());
            Assert.EndsWith("yolov8n-seg-int8-320.onnx", models[0].GetProperty("path").GetString());
            Assert.EndsWith("road-segmentation-adas-0001.onnx", models[1].GetProperty("path").GetString());
        }
        finally
        {
            File.Delete(stats);
        }
    }

    [Fact]
    public void Run_ModelFlagWithModelsConfig_ExitsTwoNamingBothKeys()
    {
        string config = Path.Combine(TestAssets.RepositoryRoot, "configs", "drive-panoptic.yaml");
        using CliProcess run = CliProcess.Start("run", "--config", config, "--model", "/tmp/x.onnx", "--source", "/tmp/none.mp4",
            "--publish", CliProcess.AnyPort);
        int exit = run.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.True(exit == 2, $"exit {exit}: {run.Stderr}");
        Assert.Contains("not both", run.Stderr);
        Assert.Contains("drive-panoptic.yaml", run.Stderr);
    }
}
