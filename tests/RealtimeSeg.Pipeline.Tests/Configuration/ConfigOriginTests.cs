using RealtimeSeg.Pipeline.Configuration;
using YamlDotNet.Core;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

public sealed class ConfigOriginTests
{
    private static readonly ConfigOrigin Origin = new("p.yaml", new Dictionary<string, Mark>
    {
        ["models"] = new Mark(0, 10, 1),
        ["models[1]"] = new Mark(0, 14, 5),
        ["models[1].path"] = new Mark(0, 14, 7),
        ["tracker"] = new Mark(0, 30, 3),
    });

    [Theory]
    [InlineData("models[1].path", "p.yaml:14:7: ")]
    [InlineData("models[1].intra_op_threads", "p.yaml:14:5: ")]   // a default: not written, its model section was
    [InlineData("models[3].tensorrt.fp16", "p.yaml:10:1: ")]
    [InlineData("tracker.max_detections", "p.yaml:30:3: ")]
    [InlineData("publish.endpoint", "p.yaml: ")]
    public void Where_KeyOrNearestWrittenParent_GivesFileLineAndColumn(string key, string expected)
        => Assert.Equal(expected, Origin.Where(key));

    [Fact]
    public void Where_ConfigBuiltInCode_IsEmpty()
        => Assert.Equal("", ConfigOrigin.None.Where("tracker.max_detections"));

    [Theory]
    [InlineData("model.intra_op_threads: must be in [0, 256]", "model.intra_op_threads")]
    [InlineData("key 'models[1].inter_op_threads': must be in [1, 256]", "models[1].inter_op_threads")]
    [InlineData("publish.send_high_water_mark: 0 is invalid", "publish.send_high_water_mark")]
    [InlineData("source option 'network.stall_timeout' is 0 s; expected at least 100ms", null)]
    [InlineData("no key here", null)]
    public void KeyNamedIn_MessagesOfOptions_FindTheLeadingKey(string message, string? key)
        => Assert.Equal(key, ConfigOrigin.KeyNamedIn(message));

    [Fact]
    public void Refuse_ArgumentExceptionWithParamName_BecomesSnakeCaseKeyAtItsLine()
    {
        var origin = new ConfigOrigin("p.yaml", new Dictionary<string, Mark> { ["tracker"] = new Mark(0, 5, 1), ["tracker.max_tracks"] = new Mark(0, 6, 3) });

        var e = origin.Refuse("tracker", new ArgumentException("MaxTracks must be in 1…4096, was 100000", "MaxTracks"));

        Assert.Equal("p.yaml:6:3: key 'tracker.max_tracks': MaxTracks must be in 1…4096, was 100000", e.Message);
    }
}
