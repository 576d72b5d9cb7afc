using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// Every model in the shared assets through <c>realtimeseg run --config configs/MODEL.yaml</c> — the config alone,
/// which asks for tensorrt, cuda, cpu — on a real video, with <c>realtimeseg subscribe --json</c> beside it: the
/// subscriber sees the classes the model is for (cars as cars, road as road), the GPU providers fall back to the CPU
/// with one log line, and <c>--stats</c> names CPUExecutionProvider.
/// </summary>
public sealed class ModelConfigTests
{
    private const int Frames = 10;

    [AssetFact]
    public void Run_YoloxConfig_CarsAreTrackedBoxMaskThings()
    {
        List<JsonElement> segments = RunConfig("yolox-nano-416", TestAssets.UdacityCars, out _);

        JsonElement[] cars = [.. segments.Where(s => s.GetProperty("category_name").GetString() == "car")];
        Assert.NotEmpty(cars);
        Assert.All(cars, c => Assert.True(c.GetProperty("is_thing").GetBoolean()));
        Assert.All(cars, c => Assert.True(c.GetProperty("box_mask").GetBoolean(), "YOLOX gives boxes only: every instance is its box"));
        Assert.Contains(cars, c => c.GetProperty("track_id").GetInt32() > 0);
    }

    [AssetFact]
    public void Run_YoloSegConfig_CarsAreTrackedMaskedThings()
    {
        List<JsonElement> segments = RunConfig("yolov8n-seg-int8-320", TestAssets.UdacityCars, out _);

        JsonElement[] cars = [.. segments.Where(s => s.GetProperty("category_name").GetString() == "car")];
        Assert.NotEmpty(cars);
        Assert.All(cars, c => Assert.False(c.GetProperty("box_mask").GetBoolean()));
        Assert.Contains(cars, c => c.GetProperty("track_id").GetInt32() > 0 && c.GetProperty("is_thing").GetBoolean());
    }

    [AssetFact]
    public void Run_RoadSegmentationConfig_RoadIsALargeStuffRegionInTheLowerHalf()
    {
        List<JsonElement> segments = RunConfig("road-segmentation-adas-0001", TestAssets.UdacityHighway, out List<JsonElement> frames);

        Assert.DoesNotContain(segments, s => s.GetProperty("is_thing").GetBoolean());
        Assert.DoesNotContain(segments, s => s.GetProperty("track_id").GetInt32() != 0);
        foreach (JsonElement f in frames)
        {
            int imageArea = f.GetProperty("width").GetInt32() * f.GetProperty("height").GetInt32();
            JsonElement road = f.GetProperty("segments").EnumerateArray().Single(s => s.GetProperty("category_name").GetString() == "road");
            // The assets' README: road marks about a quarter of a highway frame (areas are in image pixels).
            Assert.InRange(road.GetProperty("area").GetInt32(), imageArea / 8, imageArea / 2);
            JsonElement centroid = road.GetProperty("centroid");
            Assert.True(centroid[1].GetDouble() > 0.5 * f.GetProperty("height").GetInt32(), "the road is below the horizon");
        }
    }

    [AssetFact]
    public void Run_DeepLabConfig_CarsAreStuffRegionsWithoutTrackIds()
    {
        List<JsonElement> segments = RunConfig("deeplabv3-mobilenetv2-voc-257", TestAssets.UdacityCars, out _);

        JsonElement[] cars = [.. segments.Where(s => s.GetProperty("category_name").GetString() == "car")];
        Assert.NotEmpty(cars);
        Assert.All(cars, c => Assert.False(c.GetProperty("is_thing").GetBoolean()));
        Assert.All(cars, c => Assert.Equal(0, c.GetProperty("track_id").GetInt32()));
        // The two cars ahead are in the lower half of the frame, right of centre, not in the sky.
        Assert.All(cars, c => Assert.True(c.GetProperty("centroid")[1].GetDouble() > 360, "cars are below the horizon"));
    }

    [AssetFact]
    public void Run_DeepLabConfig_PeopleAreStuffRegionsWithoutTrackIds()
    {
        string clip = Path.Combine(Path.GetTempPath(), $"rseg-people-{Guid.NewGuid():N}.mp4");
        Cut(TestAssets.Path("videos/intel-people-768x432.mp4"), startSeconds: 29, clip);
        List<JsonElement> segments;
        try
        {
            segments = RunConfig("deeplabv3-mobilenetv2-voc-257", clip, out _);
        }
        finally
        {
            File.Delete(clip);
        }

        JsonElement[] people = [.. segments.Where(s => s.GetProperty("category_name").GetString() == "person")];
        Assert.NotEmpty(people);
        Assert.All(people, c => Assert.False(c.GetProperty("is_thing").GetBoolean()));
        Assert.All(people, c => Assert.Equal(0, c.GetProperty("track_id").GetInt32()));
        Assert.DoesNotContain(segments, s => s.GetProperty("category_name").GetString() is "aeroplane" or "boat" or "cow");
    }

    /// <summary>A 2 s clip of <paramref name="video"/> from <paramref name="startSeconds"/>, re-encoded by Debian's ffmpeg (the pipeline has no seek).</summary>
    private static void Cut(string video, int startSeconds, string output)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (string a in new[] { "-loglevel", "error", "-y", "-ss", startSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", video, "-t", "2", "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", output })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0 && File.Exists(output), $"ffmpeg could not cut {video}: {err}");
    }

    /// <summary>Runs the config (its own sources replaced by <paramref name="video"/>), returns every segment seen.</summary>
    private static List<JsonElement> RunConfig(string name, string video, out List<JsonElement> frames)
    {
        string config = Path.Combine(TestAssets.RepositoryRoot, "configs", name + ".yaml");
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-stats-{Guid.NewGuid():N}.json");
        var (publisher, sub, _) = CliProcess.StartWithSubscriber(
            ["run", "--config", config, "--source", video, "--max-frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stats", stats],
            "--count", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", "--timeout", "120");
        using CliProcess run = publisher;
        using CliProcess subscriber = sub;
        try
        {
            int runExit = run.WaitForExit(TimeSpan.FromMinutes(4));
            Assert.True(runExit == 0, $"run exited {runExit}: {run.Stderr}");
            int subExit = subscriber.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.True(subExit == 0, $"subscribe exited {subExit}: {subscriber.Stderr}");

            string[] warnings = [.. run.Stderr.Split('\n').Where(l => l.Contains("warn:", StringComparison.Ordinal))];
            string fallback = Assert.Single(warnings);
            Assert.Contains("execution providers 'tensorrt', 'cuda' unavailable", fallback);
            Assert.Contains("falling back to 'cpu' (CPUExecutionProvider)", fallback);
            using (JsonDocument statsDoc = JsonDocument.Parse(File.ReadAllText(stats)))
            {
                Assert.Equal("CPUExecutionProvider", statsDoc.RootElement.GetProperty("execution_provider").GetString());
                Assert.Equal(Frames, statsDoc.RootElement.GetProperty("frames_published").GetInt64());
            }

            frames = [];
            var segments = new List<JsonElement>();
            foreach (string line in subscriber.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                JsonElement f = JsonDocument.Parse(line).RootElement.Clone();
                frames.Add(f);
                segments.AddRange(f.GetProperty("segments").EnumerateArray());
            }
            Assert.Equal(Frames, frames.Count);
            return segments;
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
