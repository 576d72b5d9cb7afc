using System.Text;

namespace RealtimeSeg.Protocol.Tests;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData("rseg/frame/s0", WireMessageKind.Frame, "s0")]
    [InlineData("rseg/meta/front_cam.2", WireMessageKind.Meta, "front_cam.2")]
    public void TryParseTopic_ProtocolTopic_SplitsKindAndStream(string topic, WireMessageKind kind, string stream)
    {
        bool ok = WireFormat.TryParseTopic(Encoding.UTF8.GetBytes(topic), out WireMessageKind parsedKind, out ReadOnlySpan<byte> parsedStream);

        Assert.True(ok);
        Assert.Equal(kind, parsedKind);
        Assert.Equal(stream, Encoding.UTF8.GetString(parsedStream));
    }

    [Theory]
    [InlineData("rseg/frame/")]
    [InlineData("rseg/other/s0")]
    [InlineData("weather/s0")]
    [InlineData("")]
    public void TryParseTopic_OtherTopic_ReturnsFalse(string topic)
    {
        Assert.False(WireFormat.TryParseTopic(Encoding.UTF8.GetBytes(topic), out _, out _));
    }

    [Fact]
    public void FrameTopicAndMetaTopic_ShareTheRootPrefix()
    {
        Assert.Equal("rseg/frame/s0", WireFormat.FrameTopic("s0"));
        Assert.Equal("rseg/meta/s0", WireFormat.MetaTopic("s0"));
        Assert.StartsWith(WireFormat.TopicRoot, WireFormat.FrameTopic("s0"));
        Assert.StartsWith(WireFormat.TopicRoot, WireFormat.MetaTopic("s0"));
    }

    [Theory]
    [InlineData("s0", true)]
    [InlineData("Front-Cam_1.left", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("caméra", false)]
    [InlineData("with space", false)]
    [InlineData(null, false)]
    public void IsValidStreamName_Examples(string? name, bool valid)
    {
        Assert.Equal(valid, WireFormat.IsValidStreamName(name));
    }

    [Fact]
    public void IsValidStreamName_TooLong_IsInvalid()
    {
        Assert.True(WireFormat.IsValidStreamName(new string('a', WireFormat.MaxStreamNameLength)));
        Assert.False(WireFormat.IsValidStreamName(new string('a', WireFormat.MaxStreamNameLength + 1)));
    }
}
