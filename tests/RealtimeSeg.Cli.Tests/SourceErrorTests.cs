namespace RealtimeSeg.Cli.Tests;

/// <summary>Each kind of bad source, through the real executable: exit 3 naming the source and why, or 2 for a malformed URI.</summary>
public sealed class SourceErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Sources open before the model loads, so a model that does not exist is never reached.
    private static (int Code, string Stderr) Run(string source)
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "run", "--source", source, "--model", "/nonexistent/never-loaded.onnx", "--publish", CliProcess.AnyPort);
        return (code, stderr);
    }

    [Theory]
    [InlineData("camera:7", "/dev/video7")]
    [InlineData("/dev/video3", "/dev/video3")]
    [InlineData("images:/nonexistent/rseg-frames", "/nonexistent/rseg-frames")]
    public void Run_SourceThatCannotBeOpened_Exits3SayingWhichAndWhy(string source, string expected)
    {
        var (code, stderr) = Run(source);
        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Contains(source, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://")]
    [InlineData("camera:front")]
    [InlineData("gopher://somewhere/x")]
    public void Run_MalformedSourceUri_Exits2NamingIt(string source)
    {
        var (code, stderr) = Run(source);
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains(source, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Devices_NoCamera_SaysSoAndExits0()
    {
        if (Directory.GetFiles("/dev", "video*").Length > 0)
        {
            var (withCode, withOut, _) = CliProcess.Run(Timeout, "devices");
            Assert.Equal(0, withCode);
            Assert.Contains("camera:", withOut, StringComparison.Ordinal);
            return;
        }
        var (code, stdout, _) = CliProcess.Run(Timeout, "devices");
        Assert.Equal(0, code);
        Assert.Contains("no cameras found", stdout, StringComparison.Ordinal);
    }
}
