using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

public sealed class ModelsInspectTests
{
    [AssetFact]
    public void Inspect_YoloSegModel_PrintsShapesMetadataAndDecoder()
    {
        var (code, stdout, stderr) = CliProcess.Run(TimeSpan.FromSeconds(60), "models", "inspect", TestAssets.YoloSeg);
        Assert.True(code == 0, stderr);
        Assert.Contains("images", stdout);
        Assert.Contains("output0", stdout);
        Assert.Contains("output1", stdout);
        Assert.Contains("yolo-seg", stdout);
        Assert.Contains("names", stdout);
    }

    [Fact]
    public void Inspect_MissingFile_Exits3NamingIt()
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(60), "models", "inspect", "/nonexistent/m.onnx");
        Assert.Equal(3, code);
        Assert.Contains("/nonexistent/m.onnx", stderr);
    }
}
