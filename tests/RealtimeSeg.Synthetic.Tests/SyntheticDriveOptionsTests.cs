using RealtimeSeg.Core;
using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Synthetic.Tests;

public sealed class SyntheticDriveOptionsTests
{
    [Theory]
    [InlineData("synthetic:drive")]
    [InlineData("synthetic:drive?")]
    [InlineData("drive")]
    [InlineData("  SYNTHETIC:Drive  ")]
    public void Parse_NoParameters_UsesTheDocumentedDefaults(string uri)
    {
        SyntheticDriveOptions options = SyntheticDriveOptions.Parse(uri);

        Assert.Equal(1, options.Seed);
        Assert.Equal((1280, 720), (options.Width, options.Height));
        Assert.Equal(30, options.FramesPerSecond);
        Assert.Equal(0.5, options.Density);
    }

    [Fact]
    public void Parse_EveryParameter_ReadsEach()
    {
        SyntheticDriveOptions options = SyntheticDriveOptions.Parse("synthetic:drive?seed=-7&size=640x360&fps=12.5&density=0.25");

        Assert.Equal(-7, options.Seed);
        Assert.Equal((640, 360), (options.Width, options.Height));
        Assert.Equal(12.5, options.FramesPerSecond);
        Assert.Equal(0.25, options.Density);
    }

    [Fact]
    public void ToUri_ParsedAgain_GivesEqualOptions()
    {
        var options = new SyntheticDriveOptions { Seed = 123456789012, Width = 800, Height = 450, FramesPerSecond = 29.97, Density = 0.8 };

        Assert.Equal(options, SyntheticDriveOptions.Parse(options.ToUri()));
    }

    [Theory]
    [InlineData("seed=abc", "'seed'")]
    [InlineData("seed=1.5", "'seed'")]
    [InlineData("size=640", "'size'")]
    [InlineData("size=640x", "'size'")]
    [InlineData("size=-640x360", "'size'")]
    [InlineData("size=16x16", "'size'")]
    [InlineData("size=10000x360", "'size'")]
    [InlineData("fps=0", "'fps'")]
    [InlineData("fps=-5", "'fps'")]
    [InlineData("fps=fast", "'fps'")]
    [InlineData("fps=5000", "'fps'")]
    [InlineData("density=1.5", "'density'")]
    [InlineData("density=-0.1", "'density'")]
    [InlineData("density=NaN", "'density'")]
    [InlineData("colour=red", "'colour'")]
    public void Parse_BadParameter_ThrowsConfigurationExceptionNamingIt(string query, string parameter)
    {
        string uri = "synthetic:drive?" + query;

        var ex = Assert.Throws<ConfigurationException>(() => SyntheticDriveOptions.Parse(uri));

        Assert.Contains(parameter, ex.Message, StringComparison.Ordinal);
        Assert.Contains(uri, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownScene_ThrowsSourceUnavailableNamingTheScene()
    {
        var ex = Assert.Throws<SourceUnavailableException>(() => SyntheticDriveOptions.Parse("synthetic:harbour?seed=1"));

        Assert.Contains("'harbour'", ex.Reason, StringComparison.Ordinal);
        Assert.Equal("synthetic:harbour?seed=1", ex.Source);
    }

    [Fact]
    public void Validate_OptionsBuiltInCode_ThrowsForOutOfRangeValues()
    {
        Assert.Throws<ConfigurationException>(() => new SyntheticDriveOptions { Width = 20 }.Validate());
        Assert.Throws<ConfigurationException>(() => new SyntheticDriveOptions { FramesPerSecond = double.PositiveInfinity }.Validate());
        Assert.Throws<ConfigurationException>(() => new SyntheticDriveOptions { Density = 2 }.Validate());
        new SyntheticDriveOptions { Density = 0, Width = 32, Height = 32, FramesPerSecond = 1000 }.Validate();
    }
}
