using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests;

public sealed class FrameSourceFactoryTests
{
    [Theory]
    [InlineData("foo://host/x")]
    [InlineData("gopher://host/x")]
    [InlineData("gopher://user:hunter2@host/x")]
    public void Open_UnknownScheme_ThrowsConfigurationExceptionNamingTheSchemeNotThePassword(string uri)
    {
        // Bad usage (exit 2): no source of this kind exists to be opened.
        var ex = Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open(uri, 0, new SourceOptions(), NullPipelineLog.Instance));
        Assert.Contains("unknown source scheme", ex.Message, StringComparison.Ordinal);
        Assert.Contains(uri[..uri.IndexOf(':', StringComparison.Ordinal)] + "://", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyUri_ThrowsConfigurationException()
    {
        Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open(" ", 0, new SourceOptions(), NullPipelineLog.Instance));
    }

    [Fact]
    public void Open_InvalidOptions_ThrowsConfigurationExceptionBeforeTouchingTheSource()
    {
        // The path does not exist either: the option error must win, since it is found without I/O.
        var ex = Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open("/nonexistent.mp4", 0, new SourceOptions { MaxFrames = -1 }, NullPipelineLog.Instance));

        Assert.Contains("max_frames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NegativeStreamIndex_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameSourceFactory.Open("/nonexistent.mp4", -1, new SourceOptions(), NullPipelineLog.Instance));
    }

    [Fact]
    public void Open_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => FrameSourceFactory.Open(null!, 0, new SourceOptions(), NullPipelineLog.Instance));
        Assert.Throws<ArgumentNullException>(() => FrameSourceFactory.Open("/a.mp4", 0, null!, NullPipelineLog.Instance));
        Assert.Throws<ArgumentNullException>(() => FrameSourceFactory.Open("/a.mp4", 0, new SourceOptions(), null!));
    }
}
