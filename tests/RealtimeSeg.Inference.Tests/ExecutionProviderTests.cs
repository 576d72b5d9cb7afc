using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests;

public sealed class ExecutionProviderTests
{
    [AssetFact]
    public void Load_CudaUnavailable_FallsBackToCpuWithOneWarning()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, Providers = ["cuda", "cpu"] }, log);

        Assert.Equal("cpu", model.ExecutionProvider);
        string warning = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Equal(
            "warn: execution provider 'cuda' unavailable in this ONNX Runtime build (available: CPUExecutionProvider); falling back to 'cpu'",
            warning);
    }

    [AssetFact]
    public void Load_FullGpuChain_OneWarningPerUnavailableProvider()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, Providers = ["tensorrt", "cuda", "cpu"] }, log);

        Assert.Equal("cpu", model.ExecutionProvider);
        string[] warnings = [.. log.Lines.Where(l => l.StartsWith("warn:", StringComparison.Ordinal))];
        Assert.Equal(2, warnings.Length);
        Assert.Contains("'tensorrt' unavailable", warnings[0]);
        Assert.EndsWith("falling back to 'cuda'", warnings[0]);
        Assert.Contains("'cuda' unavailable", warnings[1]);
        Assert.EndsWith("falling back to 'cpu'", warnings[1]);
    }

    [AssetFact]
    public void Load_ChainWithoutCpu_StillRunsOnCpu()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, Providers = ["cuda"] }, log);

        Assert.Equal("cpu", model.ExecutionProvider);
        Assert.EndsWith("falling back to 'cpu'", Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal)));
    }

    [AssetFact]
    public void Load_ProviderClaimedAvailableButMissingFromTheNativeLibrary_FallsBackViaTheAppendFailure()
    {
        // Pretend the build lists CUDA: the real AppendExecutionProvider_CUDA call then runs against the CPU-only
        // native library and fails, which must be caught and turned into the fallback.
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(
            new ModelOptions { Path = TestAssets.YoloSeg, Providers = ["cuda", "cpu"] }, log, ["CUDAExecutionProvider", "CPUExecutionProvider"]);

        Assert.Equal("cpu", model.ExecutionProvider);
        string warning = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.StartsWith("warn: execution provider 'cuda' could not be enabled (", warning);
        Assert.EndsWith("falling back to 'cpu'", warning);
    }

    [AssetFact]
    public void Load_CpuOnly_LogsNoWarning()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg }, log);

        Assert.DoesNotContain(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("execution provider cpu", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownProvider_ThrowsConfigurationException()
        => Assert.Throws<ConfigurationException>(() => SegmentationModel.Load(new ModelOptions { Path = "x.onnx", Providers = ["vulkan"] }, NullPipelineLog.Instance));
}
