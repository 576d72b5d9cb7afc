using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>DESIGN §5 exit codes and messages, through the real executable.</summary>
public sealed class ExitCodeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Run_UnknownOption_Exits2()
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--no-such-flag");
        Assert.Equal(2, code);
        Assert.Contains("--no-such-flag", stderr);
    }

    [AssetFact]
    public void Run_MissingSource_Exits3NamingThePath()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-video-" + Guid.NewGuid().ToString("N") + ".mp4");
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--source", missing, "--model", TestAssets.YoloSeg, "--publish", CliProcess.AnyPort);
        Assert.Equal(3, code);
        Assert.Contains(missing, stderr);
    }

    [AssetFact]
    public void Run_MissingModel_Exits3NamingThePath()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-model.onnx");
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--source", TestAssets.UdacityCars, "--model", missing, "--publish", CliProcess.AnyPort);
        Assert.Equal(3, code);
        Assert.Contains(missing, stderr);
    }

    [AssetFact]
    public void Run_SemanticModelAsYoloSeg_Exits3WithExpectedAndActualShapes()
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--source", TestAssets.UdacityCars, "--model", TestAssets.RoadSegmentation,
            "--decoder", "yolo-seg", "--publish", CliProcess.AnyPort);
        Assert.Equal(3, code);
        Assert.Contains("road-segmentation-adas-0001.onnx", stderr);
        Assert.Contains("[1,512,896,4]", stderr.Replace(" ", "", StringComparison.Ordinal));  // actual
        Assert.Contains("output0", stderr);                                                       // expected
    }

    [Fact]
    public void Run_UnknownConfigKey_Exits2NamingFileLineAndKey()
    {
        string config = Path.Combine(Path.GetTempPath(), $"rseg-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "pipeline:\n  pace: lockstep\nmodel:\n  path: m.onnx\n  confidence_treshold: 0.3\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains(config + ":5:3", stderr);
            Assert.Contains("model.confidence_treshold", stderr);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Run_BadConfigValue_Exits2NamingTheKey()
    {
        string config = Path.Combine(Path.GetTempPath(), $"rseg-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "pipeline:\n  pace: sometimes\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains(config + ":2:9", stderr);
            Assert.Contains("pipeline.pace", stderr);
            Assert.Contains("lockstep", stderr);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>Once started 32k ONNX Runtime threads; now refused before anything is opened.</summary>
    [Fact]
    public void Run_IntraOpThreads100000_Exits2NamingFileLineKeyAndRange()
    {
        string config = Path.Combine(Path.GetTempPath(), $"rseg-threads-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "sources:\n  - uri: synthetic:drive\nmodel:\n  path: m.onnx\n  intra_op_threads: 100000\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains(config + ":5:3: model.intra_op_threads: must be in [0, 256]", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>Once a run that died on its first frame with more detections than the tracker takes (exit 1, no stats).</summary>
    [AssetFact]
    public void Run_TrackerSmallerThanModel_Exits2BeforeAnyFrame()
    {
        string config = Path.Combine(Path.GetTempPath(), $"rseg-capacity-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, $"sources:\n  - uri: synthetic:drive?size=320x240\nmodel:\n  path: {TestAssets.YoloSeg}\n  max_detections: 100\ntracker:\n  max_detections: 3\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--config", config, "--max-frames", "3", "--publish", CliProcess.AnyPort);
            Assert.Equal(2, code);
            Assert.Contains(config + ":7:3: key 'tracker.max_detections'", stderr, StringComparison.Ordinal);
            Assert.Contains("model.max_detections = 100", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("publishing on", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Run_MissingConfigFile_Exits2()
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--config", "/nonexistent/pipeline.yaml");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/pipeline.yaml", stderr);
    }

    [Fact]
    public void Run_ConfigWithoutModel_Exits2NamingTheConfig()
    {
        string config = Path.Combine(Path.GetTempPath(), $"rseg-nomodel-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, "sources:\n  - uri: synthetic:drive\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains(config, stderr);
            Assert.Contains("model.path", stderr);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>
    /// Failures that used to reach the catch-all and print a .NET type name and a stack: each now says what could not be
    /// read or written, with exit 3.
    /// </summary>
    [Theory]
    [InlineData("replay", "not-a-recording")]
    [InlineData("dump-mot", "directory")]
    [InlineData("stats", "directory")]
    public void Io_FailureOfAnInputOrOutput_Exits3NamingItWithoutATypeName(string what, string how)
    {
        using var dir = new TempFolder();
        string[] args = (what, how) switch
        {
            ("replay", _) => ["replay", dir.Write("notes.mcap", "not an MCAP file\n"), "--publish", CliProcess.AnyPort],
            ("dump-mot", _) => [.. TinyRun, "--dump-mot", dir.Path],
            _ => [.. TinyRun, "--stats", dir.Path],
        };

        var (code, _, stderr) = CliProcess.Run(Timeout, args);

        Assert.True(code == 3, $"exit {code}: {stderr}");
        string error = stderr.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(what switch { "replay" => "not an MCAP file", "dump-mot" => "sink 'mot-dump'", _ => "--stats" }, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private static readonly string[] TinyRun = ["run", "--source", "synthetic:drive?seed=1&size=320x180&fps=30", "--pace", "lockstep", "--max-frames", "1", "--publish", CliProcess.AnyPort];

    [Fact]
    public void Run_NoModelNoConfig_UsesTheBundledModelAndSaysWhichItIs()
    {
        // Without --model and --config, run takes the bundled model: a missing source is then what fails (exit 3),
        // not the model.
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--source", "no-such-video.mp4");
        Assert.True(code == 3, $"exit {code}: {stderr}");
        string error = stderr.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("no-such-video.mp4", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--model", error, StringComparison.Ordinal);
        // The user learns which model reads their video, and that it is the demo model.
        string said = stderr.Split('\n').Single(l => l.Contains("no --model given", StringComparison.Ordinal));
        Assert.Contains("bundled demo model", said, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("models", "realtimeseg-demo.onnx"), said, StringComparison.Ordinal);
    }
}
