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

        Assert.Equal("CPUExecutionProvider", model.ExecutionProvider);
        Assert.Equal("cpu", model.ProviderName);
        string warning = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Equal(
            "warn: execution provider 'cuda' unavailable in this ONNX Runtime build (available: CPUExecutionProvider; "
            + "GPU providers need the GPU build, -p:OrtFlavor=Gpu); falling back to 'cpu' (CPUExecutionProvider)",
            warning);
    }

    [AssetFact]
    public void Load_FullGpuChain_OneWarningNamingEveryUnavailableProvider()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, Providers = ["tensorrt", "cuda", "cpu"] }, log);

        Assert.Equal("CPUExecutionProvider", model.ExecutionProvider);
        string warning = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.StartsWith("warn: execution providers 'tensorrt', 'cuda' unavailable in this ONNX Runtime build", warning);
        Assert.EndsWith("falling back to 'cpu' (CPUExecutionProvider)", warning);
        Assert.DoesNotContain(log.Lines, l => l.Contains("building TensorRT engine", StringComparison.Ordinal));
    }

    [AssetFact]
    public void Load_ChainWithoutCpu_StillRunsOnCpu()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, Providers = ["cuda"] }, log);

        Assert.Equal("CPUExecutionProvider", model.ExecutionProvider);
        Assert.EndsWith("falling back to 'cpu' (CPUExecutionProvider)", Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal)));
    }

    [AssetTheory]
    [InlineData("cuda", "CUDAExecutionProvider")]
    [InlineData("tensorrt", "TensorrtExecutionProvider")]
    public void Load_ProviderClaimedAvailableButMissingFromTheNativeLibrary_FallsBackViaTheAppendFailure(string provider, string ortName)
    {
        // Pretend the build lists the GPU provider: the real option object and Append call then run against the
        // CPU-only native library and fail, which must be caught and turned into the fallback.
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(
            new ModelOptions { Path = TestAssets.YoloSeg, Providers = [provider, "cpu"] }, log, [ortName, "CPUExecutionProvider"]);

        Assert.Equal("CPUExecutionProvider", model.ExecutionProvider);
        string warning = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.StartsWith($"warn: execution provider '{provider}' could not be enabled (", warning);
        Assert.EndsWith("falling back to 'cpu' (CPUExecutionProvider)", warning);
    }

    [AssetFact]
    public void Load_CpuOnly_LogsNoWarningAndTheWarmUp()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, WarmupRuns = 2 }, log);

        Assert.DoesNotContain(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("execution provider cpu (CPUExecutionProvider)", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("info: model 'yolov8n-seg-int8-320.onnx': warm-up 2 run(s) on CPUExecutionProvider in ", StringComparison.Ordinal));
        Assert.True(model.WarmUpTime > TimeSpan.Zero);
        Assert.True(model.FirstRunTime > TimeSpan.Zero && model.FirstRunTime <= model.WarmUpTime);
    }

    [AssetFact]
    public void Load_WarmupRunsZero_SkipsWarmUp()
    {
        var log = new CollectingLog();

        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, WarmupRuns = 0 }, log);

        Assert.Equal(TimeSpan.Zero, model.WarmUpTime);
        Assert.DoesNotContain(log.Lines, l => l.Contains("warm-up", StringComparison.Ordinal));
    }

    [AssetFact]
    public void Run_AfterWarmUp_SlotStillRequiresPreprocess()
    {
        // Warm-up runs on a slot of its own: a slot made afterwards starts empty, so stale outputs are never decoded.
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = TestAssets.YoloSeg, WarmupRuns = 1 }, NullPipelineLog.Instance);
        using InferenceSlot slot = model.CreateSlot();

        Assert.Throws<InvalidOperationException>(() => model.Run(slot));
    }

    [Fact]
    public void Load_UnknownProvider_ThrowsConfigurationException()
        => Assert.Throws<ConfigurationException>(() => SegmentationModel.Load(new ModelOptions { Path = "x.onnx", Providers = ["vulkan"] }, NullPipelineLog.Instance));

    [Fact]
    public void FallbackMessage_GpuBuildWithFailingCuda_NamesTheFailureWithoutTheBuildHint()
    {
        string message = ExecutionProviders.FallbackMessage(
            ["tensorrt"], ["execution provider 'cuda' could not be enabled (OnnxRuntimeException: no CUDA-capable device)"],
            ["CUDAExecutionProvider", "CPUExecutionProvider"], "cpu");

        Assert.Equal(
            "execution provider 'tensorrt' unavailable in this ONNX Runtime build (available: CUDAExecutionProvider, CPUExecutionProvider); "
            + "execution provider 'cuda' could not be enabled (OnnxRuntimeException: no CUDA-capable device); falling back to 'cpu' (CPUExecutionProvider)",
            message);
    }

    [Theory]
    [InlineData("tensorrt", "TensorrtExecutionProvider")]
    [InlineData("cuda", "CUDAExecutionProvider")]
    [InlineData("cpu", "CPUExecutionProvider")]
    public void OrtName_KnownProvider_IsOnnxRuntimesName(string name, string expected)
        => Assert.Equal(expected, ExecutionProviders.OrtName(name));
}
