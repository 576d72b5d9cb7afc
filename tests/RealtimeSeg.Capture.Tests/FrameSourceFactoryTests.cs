using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests;

public sealed class FrameSourceFactoryTests
{
    [Theory]
    [InlineData("images:/data/seq", "image-sequence")]
    [InlineData("camera:0", "camera")]
    [InlineData("/dev/video0", "camera")]
    public void Open_KindNotImplementedYet_ThrowsSourceUnavailableSayingSo(string uri, string kind)
    {
        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open(uri, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal(uri, ex.Source);
        Assert.Contains(kind, ex.Reason, StringComparison.Ordinal);
        Assert.Contains("not supported yet", ex.Reason, StringComparison.Ordinal);
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
