using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>run</c> with several streams and drives: the real executable, real model and sources.</summary>
public sealed class MultiStreamRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-cli-streams-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [AssetFact]
    public void Run_TwoSourcesAndADrive_StatsReportEveryStream()
    {
        string drive = Write("drive.yaml", """
            cameras:
              - name: front
                uri: synthetic:drive?seed=1&size=320x240&fps=30
              - name: rear
                uri: synthetic:drive?seed=2&size=320x240&fps=30
            """);
        string stats = Path.Combine(_dir, "s.json");
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(3),
            "run", "--source", TestAssets.UdacityCars, "--source", "synthetic:drive?seed=5&size=320x240&fps=30", "--drive", drive,
            "--model", TestAssets.YoloSeg, "--pace", "lockstep", "--max-frames", "3", "--stats", stats,
            "--publish", CliProcess.AnyPort);
        Assert.True(code == 0, stderr);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement[] streams = doc.RootElement.GetProperty("streams").EnumerateArray().ToArray();
        Assert.Equal(["s0", "s1", "front", "rear"], streams.Select(s => s.GetProperty("id").GetString()));
        foreach (JsonElement s in streams)
        {
            Assert.Equal(3, s.GetProperty("frames_published").GetInt64());
            Assert.Equal(3, s.GetProperty("latency_ms").GetProperty("capture_to_publish").GetProperty("count").GetInt64());
            Assert.Equal(0, s.GetProperty("frames_missing").GetInt64());
            Assert.False(s.TryGetProperty("error", out _));
        }
        Assert.Equal(12, doc.RootElement.GetProperty("frames_published").GetInt64());
        Assert.Equal(12, doc.RootElement.GetProperty("latency_windows").EnumerateArray().Sum(w => w.GetProperty("capture_to_publish").GetProperty("count").GetInt64()));
        Assert.Contains("pipeline: drive drive: front = synthetic:", stderr);
    }

    [Fact]
    public void Run_EndBeforeStart_ExitsTwoNamingTheKey()
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(1),
            "run", "--source", "synthetic:drive?seed=1&size=320x240&fps=30", "--model", "/nonexistent/m.onnx", "--start", "5", "--end", "2");
        Assert.Equal(2, code);
        Assert.Contains("playback.end", stderr);
    }

    [Fact]
    public void Run_DriveFileWithUnknownKey_ExitsTwoNamingFileLineAndKey()
    {
        string drive = Write("bad.yaml", "cameras:\n  - name: front\n    url: a.mp4\n");
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(1), "run", "--drive", drive, "--model", "/nonexistent/m.onnx");
        Assert.Equal(2, code);
        Assert.Contains($"{drive}:3:", stderr);
        Assert.Contains("cameras[0].url", stderr);
    }

    [Fact]
    public void Run_DriveCameraRecordingMissing_ExitsThreeNamingIt()
    {
        string drive = Write("missing.yaml", "cameras:\n  - name: front\n    uri: synthetic:drive?seed=1&size=320x240&fps=30\n  - name: rear\n    uri: gone/rear.mp4\n");
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(1), "run", "--drive", drive, "--model", "/nonexistent/m.onnx");
        Assert.Equal(3, code);
        Assert.Contains(Path.Combine(_dir, "gone", "rear.mp4"), stderr);
    }
}
