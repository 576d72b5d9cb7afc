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

    [Fact]
    public void Run_NoModelNoConfig_UsesTheBundledModel()
    {
        // Without --model and --config, run takes the bundled model: a missing source is then what fails (exit 3),
        // not the model.
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--source", "no-such-video.mp4");
        Assert.Equal(3, code);
        Assert.Contains("no-such-video.mp4", stderr);
        Assert.DoesNotContain("--model", stderr);
    }
}
