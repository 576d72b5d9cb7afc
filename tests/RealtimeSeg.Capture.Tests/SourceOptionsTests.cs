using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests;

public sealed class SourceOptionsTests
{
    [Fact]
    public void Defaults_AreRealtimeUnlimitedNoLoop()
    {
        var options = new SourceOptions();

        Assert.Equal(Pacing.Realtime, options.Pacing);
        Assert.Equal(0, options.MaxFrames);
        Assert.False(options.Loop);
        options.Validate();
    }

    [Fact]
    public void Validate_NegativeMaxFrames_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ConfigurationException>(new SourceOptions { MaxFrames = -3 }.Validate);

        Assert.Contains("max_frames", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedPacing_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ConfigurationException>(new SourceOptions { Pacing = (Pacing)42 }.Validate);

        Assert.Contains("pacing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Pacing.Realtime, 0, false)]
    [InlineData(Pacing.Max, 1, true)]
    [InlineData(Pacing.Lockstep, long.MaxValue, false)]
    public void Validate_ValidCombinations_DoNotThrow(Pacing pacing, long maxFrames, bool loop)
    {
        Exception? ex = Record.Exception(new SourceOptions { Pacing = pacing, MaxFrames = maxFrames, Loop = loop }.Validate);

        Assert.Null(ex);
    }
}
