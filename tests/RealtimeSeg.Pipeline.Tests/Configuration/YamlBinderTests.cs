using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using YamlDotNet.RepresentationModel;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

public sealed class YamlBinderTests
{
    public sealed record Inner
    {
        public int Count { get; init; } = 3;
        public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
    }

    public enum Mode { Fast, VerySlow }

    public sealed record Sample
    {
        public string Name { get; init; } = "default";
        public float Threshold { get; init; } = 0.5f;
        public bool Enabled { get; init; }
        public Mode Mode { get; init; } = Mode.Fast;
        public long? Limit { get; init; }
        public IReadOnlyList<string> Providers { get; init; } = ["cpu"];
        public Inner Inner { get; init; } = new();
        public IReadOnlyList<Inner> Items { get; init; } = [];
    }

    private static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private static Sample Bind(string yaml, Func<string, string?>? env = null)
        => new YamlBinder("test.yaml", env ?? (_ => null)).Bind<Sample>(Parse(yaml), "");

    [Fact]
    public void Bind_AllValueKinds_MapsSnakeCaseKeysToProperties()
    {
        Sample s = Bind("""
            name: front
            threshold: 0.25
            enabled: yes
            mode: very_slow
            limit: 42
            providers: [cuda, cpu]
            inner:
              count: 7
              interval: 250ms
            items:
              - count: 1
              - count: 2
            """);
        Assert.Equal("front", s.Name);
        Assert.Equal(0.25f, s.Threshold);
        Assert.True(s.Enabled);
        Assert.Equal(Mode.VerySlow, s.Mode);
        Assert.Equal(42L, s.Limit);
        Assert.Equal(["cuda", "cpu"], s.Providers);
        Assert.Equal(7, s.Inner.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.Inner.Interval);
        Assert.Equal([1, 2], s.Items.Select(i => i.Count));
    }

    [Fact]
    public void Bind_MissingKeys_KeepDocumentedDefaults()
    {
        Sample s = Bind("name: x");
        Assert.Equal(0.5f, s.Threshold);
        Assert.Equal(["cpu"], s.Providers);
        Assert.Equal(3, s.Inner.Count);
        Assert.Null(s.Limit);
    }

    [Fact]
    public void Bind_UnknownNestedKey_NamesFileLineAndKeyPath()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("name: x\ninner:\n  count: 2\n  colour: red\n"));
        Assert.Contains("test.yaml:4:3", e.Message);
        Assert.Contains("'inner.colour'", e.Message);
        Assert.Contains("unknown key", e.Message);
        Assert.Contains("count", e.Message); // lists the known keys
    }

    [Fact]
    public void Bind_WrongScalarType_SaysWhatWasExpected()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("threshold: high"));
        Assert.Contains("test.yaml:1:12", e.Message);
        Assert.Contains("'threshold'", e.Message);
        Assert.Contains("is not a number", e.Message);
    }

    [Fact]
    public void Bind_UnknownEnumValue_ListsTheChoices()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("mode: warp"));
        Assert.Contains("fast, very_slow", e.Message);
    }

    [Fact]
    public void Bind_MappingWhereScalarExpected_Fails()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("name:\n  a: 1"));
        Assert.Contains("'name'", e.Message);
        Assert.Contains("found a mapping", e.Message);
    }

    [Fact]
    public void Bind_EnvironmentVariable_IsSubstituted()
    {
        Sample s = Bind("name: ${ASSETS}/models/m.onnx", v => v == "ASSETS" ? "/data" : null);
        Assert.Equal("/data/models/m.onnx", s.Name);
    }

    [Fact]
    public void Bind_UnsetVariableWithDefault_UsesDefault()
    {
        Sample s = Bind("name: ${NOPE:-../assets}/x");
        Assert.Equal("../assets/x", s.Name);
    }

    [Fact]
    public void Bind_UnsetVariableWithoutDefault_NamesTheVariable()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("name: ${NOPE}/x"));
        Assert.Contains("'NOPE'", e.Message);
        Assert.Contains("test.yaml:1:7", e.Message);
    }

    [Fact]
    public void Bind_SubstitutedValueOfWrongType_NamesFileLineKeyAndVariableButNeverTheValue()
    {
        const string Secret = "hunter2-is-my-password";

        var e = Assert.Throws<ConfigurationException>(() => Bind("inner:\n  count: ${CAMERA_PASSWORD}", v => v == "CAMERA_PASSWORD" ? Secret : null));

        Assert.Contains("test.yaml:2:10", e.Message);
        Assert.Contains("inner.count", e.Message);
        Assert.Contains("${CAMERA_PASSWORD}", e.Message);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public void Bind_FileThatIsNotAConfig_NeverEchoesItsContent()
    {
        // What a config path pointing at a key file or /etc/shadow reads as: one scalar.
        const string Content = "root:$6$saltsalt$hashedpasswordvalue:19000:0:99999:7:::";

        var e = Assert.Throws<ConfigurationException>(() => Bind(Content));

        Assert.Contains("test.yaml:1:1", e.Message);
        Assert.DoesNotContain("hashedpasswordvalue", e.Message);
    }

    [Theory]
    [InlineData("MaxFrames", "max_frames")]
    [InlineData("IoUThreshold", "io_u_threshold")]
    [InlineData("SendHighWaterMark", "send_high_water_mark")]
    [InlineData("Uri", "uri")]
    public void ToSnakeCase_PascalCase_Converts(string input, string expected)
        => Assert.Equal(expected, YamlBinder.ToSnakeCase(input));

    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("2s", 2.0)]
    [InlineData("1.5m", 90.0)]
    [InlineData("3", 3.0)]
    public void TryParseDuration_Units_Parse(string text, double seconds)
    {
        Assert.True(YamlBinder.TryParseDuration(text, out TimeSpan value));
        Assert.Equal(seconds, value.TotalSeconds, 6);
    }
}
