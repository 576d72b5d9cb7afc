using RealtimeSeg.Inference.Metadata;

namespace RealtimeSeg.Inference.Tests;

public sealed class PythonLiteralTests
{
    [Fact]
    public void TryParseNames_UltralyticsDict_ReadsIdsAndNames()
    {
        bool ok = PythonLiteral.TryParseNames("{0: 'person', 1: 'bicycle', 2: 'car', 9: 'traffic light'}", out var names, out string? error);

        Assert.True(ok, error);
        Assert.Equal([0, 1, 2, 9], names!.Keys);
        Assert.Equal("traffic light", names[9]);
    }

    [Fact]
    public void TryParseNames_QuotesAndEscapes_AreDecodedLikePython()
    {
        bool ok = PythonLiteral.TryParseNames("{0: \"driver's seat\", 1: 'a\\'b', 2: 'x\\\\y', 3: 'caf\\xe9',}", out var names, out string? error);

        Assert.True(ok, error);
        Assert.Equal("driver's seat", names![0]);
        Assert.Equal("a'b", names[1]);
        Assert.Equal("x\\y", names[2]);
        Assert.Equal("café", names[3]);
    }

    [Fact]
    public void TryParseNames_List_UsesPositionsAsIds()
    {
        bool ok = PythonLiteral.TryParseNames("['road', 'curb']", out var names, out _);

        Assert.True(ok);
        Assert.Equal("curb", names![1]);
        Assert.Equal(2, names.Count);
    }

    [Theory]
    [InlineData("{0: person}")]
    [InlineData("{0 'person'}")]
    [InlineData("{0: 'person', 0: 'car'}")]
    [InlineData("{0: 'person'")]
    [InlineData("person, car")]
    [InlineData("{0: 'a'} trailing")]
    public void TryParseNames_Malformed_FailsWithAReason(string text)
    {
        bool ok = PythonLiteral.TryParseNames(text, out var names, out string? error);

        Assert.False(ok);
        Assert.Null(names);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("[320, 320]", 320, 320)]
    [InlineData("[384, 640]", 384, 640)]
    [InlineData("(480,640)", 480, 640)]
    [InlineData("416", 416, 416)]
    public void TryParseImageSize_UltralyticsForms_ReturnsHeightWidth(string text, int h, int w)
    {
        Assert.True(PythonLiteral.TryParseImageSize(text, out int height, out int width));
        Assert.Equal((h, w), (height, width));
    }

    [Theory]
    [InlineData("[320, 320")]
    [InlineData("[0, 320]")]
    [InlineData("big")]
    public void TryParseImageSize_Malformed_ReturnsFalse(string text)
        => Assert.False(PythonLiteral.TryParseImageSize(text, out _, out _));
}
