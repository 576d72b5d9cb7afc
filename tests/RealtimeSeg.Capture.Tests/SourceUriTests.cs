using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests;

public sealed class SourceUriTests
{
    [Theory]
    [InlineData("/videos/drive.mp4", "File", "/videos/drive.mp4")]
    [InlineData("  /videos/drive.mp4 ", "File", "/videos/drive.mp4")]
    [InlineData("relative/drive.mp4", "File", "relative/drive.mp4")]
    [InlineData("drive.mp4", "File", "drive.mp4")]
    [InlineData("file:/videos/drive.mp4", "File", "/videos/drive.mp4")]
    [InlineData("file:relative/drive.mp4", "File", "relative/drive.mp4")]
    [InlineData("FILE:/videos/drive.mp4", "File", "/videos/drive.mp4")]
    [InlineData("file:///videos/my%20drive.mp4", "File", "/videos/my drive.mp4")]
    [InlineData("take:2.mp4", "File", "take:2.mp4")]
    [InlineData("C:\\clips\\drive.mp4", "File", "C:\\clips\\drive.mp4")]
    [InlineData("images:/data/seq", "Images", "/data/seq")]
    [InlineData("rtsp://127.0.0.1:8554/cam", "Network", "rtsp://127.0.0.1:8554/cam")]
    [InlineData("RTSP://127.0.0.1:8554/cam", "Network", "RTSP://127.0.0.1:8554/cam")]
    [InlineData("rtsps://127.0.0.1/cam", "Network", "rtsps://127.0.0.1/cam")]
    [InlineData("http://127.0.0.1:8080/stream.mjpg", "Network", "http://127.0.0.1:8080/stream.mjpg")]
    [InlineData("camera:0", "Camera", "0")]
    [InlineData("/dev/video2", "Camera", "/dev/video2")]
    [InlineData("synthetic:drive?seed=1&size=1280x720&fps=30", "Synthetic", "drive?seed=1&size=1280x720&fps=30")]
    public void Parse_KnownForms_ClassifiesKindAndTarget(string uri, string kind, string target)
    {
        SourceUri parsed = SourceUri.Parse(uri);

        Assert.Equal(Enum.Parse<SourceKind>(kind), parsed.Kind);
        Assert.Equal(target, parsed.Target);
        Assert.Equal(uri, parsed.Original);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_ThrowsConfigurationException(string uri)
    {
        Assert.Throws<ConfigurationException>(() => SourceUri.Parse(uri));
    }

    [Fact]
    public void Parse_UnknownSchemeWithSlashes_ThrowsConfigurationExceptionNamingTheSourceAndScheme()
    {
        // Bad usage (exit 2), not a source that exists but cannot be opened (exit 3).
        var ex = Assert.Throws<ConfigurationException>(() => SourceUri.Parse("gopher://host/clip"));

        Assert.Contains("'gopher://host/clip'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown source scheme 'gopher://'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileSchemeWithoutPath_ThrowsSourceUnavailable()
    {
        Assert.Throws<SourceUnavailableException>(() => SourceUri.Parse("file:"));
    }
}
