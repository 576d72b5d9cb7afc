using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// Inputs cut short, as a copy interrupted or a disk error leaves them, through the real executable: a video truncated
/// mid-stream runs to what decodes and accounts for every frame; a truncated model fails start-up naming the file.
/// </summary>
public sealed class TruncatedInputTests : IDisposable
{
    private const int UdacityFrames = 38;
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [AssetFact]
    public void Run_VideoTruncatedMidStream_PublishesEveryFrameThatDecodesWarnsAndExits0()
    {
        string truncated = Path.Combine(_dir.Path, "truncated.mp4");
        byte[] bytes = File.ReadAllBytes(TestAssets.UdacityCars);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        string stats = Path.Combine(_dir.Path, "stats.json");

        var (exit, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(3), "run", "--source", truncated, "--pace", "lockstep",
            "--stats", stats, "--publish", CliProcess.AnyPort);

        Assert.True(exit == 0, $"exit {exit}; stderr:\n{stderr}");
        Assert.Contains(stderr.Split('\n'), l => l.Contains("warn:", StringComparison.Ordinal) && l.Contains($"of the {UdacityFrames} frames", StringComparison.Ordinal));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement stream = doc.RootElement.GetProperty("streams")[0];
        long captured = stream.GetProperty("frames_captured").GetInt64();
        Assert.InRange(captured, 1, UdacityFrames - 1);
        // Lockstep: every frame that decoded went through; none is unaccounted for.
        Assert.Equal(captured, stream.GetProperty("frames_published").GetInt64());
        Assert.Equal(0, stream.GetProperty("frames_dropped").GetInt64());
        Assert.Equal(0, stream.GetProperty("frames_in_flight").GetInt64());
        Assert.Equal(0, stream.GetProperty("frames_corrupt").GetInt64());
    }

    [Fact]
    public void Run_ModelTruncated_Exits3NamingTheFileWithoutATypeName()
    {
        string model = Path.Combine(_dir.Path, "cut.onnx");
        byte[] bytes = File.ReadAllBytes(Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx"));
        File.WriteAllBytes(model, bytes[..(bytes.Length * 2 / 3)]);

        var (exit, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(2), "run", "--source", "synthetic:drive?seed=1&size=320x180&fps=30",
            "--model", model, "--max-frames", "1", "--publish", CliProcess.AnyPort);

        Assert.True(exit == 3, $"exit {exit}; stderr:\n{stderr}");
        string error = stderr.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(model, error, StringComparison.Ordinal);
        Assert.Contains("cannot load", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }
}
