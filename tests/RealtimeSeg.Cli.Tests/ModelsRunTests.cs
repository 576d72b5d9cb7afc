using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>realtimeseg models run</c>: one real frame through a model, detections as JSON, raw outputs as .npy.</summary>
public sealed class ModelsRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string SmallMaskRcnn => Path.Combine(TestAssets.RepositoryRoot, "tests", "data", "decoders", "maskrcnn-small-160.onnx");

    [AssetFact]
    public void Run_SmallMaskRcnnWithSaveOutputs_PrintsEachDetectionAndWritesNpyFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"rseg-dump-{Guid.NewGuid():N}");
        try
        {
            var (code, stdout, stderr) = CliProcess.Run(Timeout, "models", "run", SmallMaskRcnn, "--image", TestAssets.UdacityCars, "--frame", "3",
                "--confidence", "0", "--save-outputs", dir);

            Assert.True(code == 0, stderr);
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(8, lines.Length);
            foreach (string line in lines)
            {
                using JsonDocument d = JsonDocument.Parse(line);
                Assert.Equal(4, d.RootElement.GetProperty("box").GetArrayLength());
                Assert.True(d.RootElement.GetProperty("mask").GetBoolean());
            }
            foreach (string file in new[] { "input.npy", "boxes.npy", "labels.npy", "scores.npy", "masks.npy", "frame.json" })
            {
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
            }
            // numpy's magic and the shape of the fetched, run-time-sized output.
            byte[] scores = File.ReadAllBytes(Path.Combine(dir, "scores.npy"));
            Assert.Equal("\u0093NUMPY", System.Text.Encoding.Latin1.GetString(scores, 0, 6));
            Assert.Contains("'shape': (8,)", System.Text.Encoding.ASCII.GetString(scores, 10, 118));
            Assert.Equal(128 + 8 * 4, scores.Length);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [AssetFact]
    public void Run_SemanticModelWithConfig_PrintsTheClassShares()
    {
        string config = Path.Combine(TestAssets.RepositoryRoot, "configs", "road-segmentation-adas-0001.yaml");

        var (code, stdout, stderr) = CliProcess.Run(Timeout, "models", "run", TestAssets.RoadSegmentation, "--config", config,
            "--image", TestAssets.UdacityHighway, "--frame", "100");

        Assert.True(code == 0, stderr);
        using JsonDocument d = JsonDocument.Parse(stdout.Trim());
        JsonElement road = d.RootElement.GetProperty("semantic").EnumerateArray().Single(e => e.GetProperty("category").GetString() == "road");
        Assert.InRange(road.GetProperty("share").GetDouble(), 0.2, 0.5);
    }

    [AssetFact]
    public void Run_FrameBeyondTheVideo_Exits3SayingHowManyFramesThereAre()
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "models", "run", SmallMaskRcnn, "--image", TestAssets.UdacityCars, "--frame", "500");

        Assert.Equal(3, code);
        Assert.Contains("the video has only 38 frames; frame 500 was asked for", stderr);
    }
}
