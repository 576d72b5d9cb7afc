using RealtimeSeg.Core;
using RealtimeSeg.Inference.Metadata;

namespace RealtimeSeg.Inference.Tests;

/// <summary>The realtimeseg.* metadata keys that let a model configure the pipeline from the file alone.</summary>
public sealed class RealtimeSegMetadataTests
{
    private const string Categories = """[{"id": 7, "name": "road", "isthing": false, "color": [128, 64, 128]}, {"id": 26, "name": "car", "isthing": 1}]""";

    [Fact]
    public void Read_AllKeys_ParsesCategoriesClassesInputAndOutputs()
    {
        RealtimeSegMetadata m = RealtimeSegMetadata.Read("/m.onnx", new Dictionary<string, string>
        {
            ["realtimeseg.categories"] = Categories,
            ["realtimeseg.instance_classes"] = "[26]",
            ["realtimeseg.semantic_classes"] = "[7, -1, 26]",
            ["realtimeseg.input"] = """{"color_order": "bgr", "mean": [1, 2, 3], "std": [4, 5, 6]}""",
            ["realtimeseg.outputs"] = """{"semantic": "sem"}""",
        });

        Assert.NotNull(m.Categories);
        Assert.True(m.Categories!.TryGet(7, out Category road));
        Assert.Equal(new Category(7, "road", false, 0x804080), road);
        Assert.True(m.Categories.TryGet(26, out Category car) && car.IsThing);
        Assert.Equal([26], m.InstanceClasses.ToArray());
        Assert.Equal([7, -1, 26], m.SemanticClasses.ToArray());
        Assert.Equal(ColorOrder.Bgr, m.ColorOrder);
        Assert.Equal([1f, 2f, 3f], m.Mean.ToArray());
        Assert.Equal([4f, 5f, 6f], m.Std.ToArray());
        Assert.True(m.TryGetOutput("semantic", out string? name) && name == "sem");
        Assert.False(m.TryGetOutput("instances", out _));
    }

    [Fact]
    public void Read_NoKeys_IsEmpty()
    {
        RealtimeSegMetadata m = RealtimeSegMetadata.Read("/m.onnx", new Dictionary<string, string> { ["names"] = "{0: 'a'}" });
        Assert.Null(m.Categories);
        Assert.True(m.InstanceClasses.IsEmpty && m.SemanticClasses.IsEmpty);
        Assert.Null(m.ColorOrder);
    }

    [Theory]
    [InlineData("realtimeseg.categories", "not json", "not valid JSON")]
    [InlineData("realtimeseg.categories", "[]", "non-empty JSON list")]
    [InlineData("realtimeseg.categories", """[{"id": 1, "name": "a"}]""", "entry 0")]
    [InlineData("realtimeseg.categories", """[{"id": 1, "name": "a", "isthing": true, "color": [1, 2, 300]}]""", "0..255")]
    [InlineData("realtimeseg.instance_classes", "[99]", "category 99 is not in 'realtimeseg.categories'")]
    [InlineData("realtimeseg.semantic_classes", "[7, \"x\"]", "class 1")]
    [InlineData("realtimeseg.input", """{"color_order": "rgba"}""", "\"rgb\" or \"bgr\"")]
    [InlineData("realtimeseg.input", """{"std": [1, 0, 1]}""", "'std' values must be finite and > 0")]
    [InlineData("realtimeseg.outputs", """{"semantic": 3}""", "role 'semantic'")]
    public void Read_MalformedKey_ThrowsModelLoadExceptionNamingKey(string key, string value, string expected)
    {
        var metadata = new Dictionary<string, string> { ["realtimeseg.categories"] = Categories, [key] = value };
        ModelLoadException e = Assert.Throws<ModelLoadException>(() => RealtimeSegMetadata.Read("/models/m.onnx", metadata));
        Assert.Contains("/models/m.onnx", e.Message);
        Assert.Contains($"metadata '{key}'", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
