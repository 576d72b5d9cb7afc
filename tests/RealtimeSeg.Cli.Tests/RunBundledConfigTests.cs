using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// <c>run</c> without <c>--config</c> on the bundled model takes the bundled model's tuned sections (configs/demo.yaml
/// next to the executable), so <c>run --source X</c> detects and tracks as <c>demo</c> does.
/// </summary>
public sealed class RunBundledConfigTests
{
    [Fact]
    public void BuildConfig_NoConfigNoModel_BundledModelsTunedSections()
    {
        var loader = new PipelineConfigLoader();
        PipelineConfig demo = loader.Load(BundledModel.DemoConfigPath);

        PipelineConfig config = Build(loader, "run", "--source", "synthetic:drive?seed=3");

        Assert.Equal(demo.Model.Path, config.Model.Path);
        Assert.Equal(demo.Model.ConfidenceThreshold, config.Model.ConfidenceThreshold);
        Assert.Equal(demo.Model.IouThreshold, config.Model.IouThreshold);
        Assert.Equal(demo.Model.MergeIouThreshold, config.Model.MergeIouThreshold);
        Assert.Equal(demo.Tracker, config.Tracker);
        Assert.Equal(demo.Panoptic.MaskThreshold, config.Panoptic.MaskThreshold);
        Assert.NotEqual(new PipelineConfig().Model.ConfidenceThreshold, config.Model.ConfidenceThreshold);
        Assert.Equal("synthetic:drive?seed=3", Assert.Single(config.Sources).Uri);
    }

    [Fact]
    public void BuildConfig_BundledModelByPath_SameTunedSections()
    {
        var loader = new PipelineConfigLoader();
        PipelineConfig demo = loader.Load(BundledModel.DemoConfigPath);

        PipelineConfig config = Build(loader, "run", "--source", "synthetic:drive?seed=3", "--model", BundledModel.ModelPath);

        Assert.Equal(demo.Model.ConfidenceThreshold, config.Model.ConfidenceThreshold);
        Assert.Equal(demo.Tracker, config.Tracker);
    }

    [Fact]
    public void BuildConfig_OtherModel_DefaultsNotTheBundledModelsTuning()
    {
        var loader = new PipelineConfigLoader();
        string other = Path.Combine(Path.GetTempPath(), $"rseg-other-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(other, [1, 2, 3]);
        try
        {
            PipelineConfig config = Build(loader, "run", "--source", "synthetic:drive?seed=3", "--model", other);

            Assert.Equal(new PipelineConfig().Model.ConfidenceThreshold, config.Model.ConfidenceThreshold);
            Assert.Equal(new PipelineConfig().Tracker, config.Tracker);
        }
        finally
        {
            File.Delete(other);
        }
    }

    private static PipelineConfig Build(PipelineConfigLoader loader, params string[] args)
    {
        var root = new System.CommandLine.RootCommand { RunCommand.Create() };
        System.CommandLine.ParseResult parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return RunCommand.BuildConfig(parse, loader);
    }
}
