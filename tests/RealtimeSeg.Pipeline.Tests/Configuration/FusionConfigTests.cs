using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

/// <summary>The <c>models:</c> list and the merged top-level <c>categories:</c> table: binding, and every load-time rule with file/line/key.</summary>
public sealed class FusionConfigTests : IDisposable
{
    private const string Categories = """
        categories:
          - { id: 1, name: road, thing: false }
          - { id: 2, name: curb, thing: false, color: [196, 196, 196] }
          - { id: 12, name: car, thing: true, color: [0, 0, 142] }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-fusion-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        string path = Path.Combine(_dir, "fusion.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static ConfigurationException LoadAndValidateFails(string path)
    {
        var loader = new PipelineConfigLoader();
        return Assert.Throws<ConfigurationException>(() => loader.Validate(loader.Load(path)));
    }

    [Fact]
    public void Load_ModelsList_BindsEachModelAndResolvesItsPath()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - { path: things.onnx, decoder: yolo-seg, intra_op_threads: 1, instance_classes: [-1, -1, 12] }
              - { path: /abs/stuff.onnx, decoder: semantic, semantic_classes: [-1, 1, 2] }
            """);
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);
        loader.Validate(c);

        Assert.True(c.IsFusion);
        Assert.Equal(2, c.Models!.Count);
        Assert.Equal(Path.Combine(_dir, "things.onnx"), c.Models[0].Path);
        Assert.Equal("/abs/stuff.onnx", c.Models[1].Path);
        Assert.Equal(1, c.Models[0].IntraOpThreads);
        Assert.Equal([-1, -1, 12], c.Models[0].InstanceClasses);
        Assert.Equal([-1, 1, 2], c.Models[1].SemanticClasses);
        Assert.Equal([1, 2, 12], c.Categories!.Select(x => x.Id));
        Assert.True(c.Categories![2].Thing);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("pipeline: { concurrent_models: false }\n", false)]
    public void Load_ConcurrentModels_DefaultsToSideBySide(string pipeline, bool expected)
    {
        string path = Write(pipeline + $"sources: [ {{ uri: /v.mp4 }} ]\n{Categories}\nmodels:\n  - {{ path: /a.onnx }}\n");
        Assert.Equal(expected, new PipelineConfigLoader().Load(path).Pipeline.ConcurrentModels);
    }

    [Fact]
    public void Resolve_ValidFusion_GivesEveryModelTheMergedTable()
    {
        var categories = new[] { new CategoryOptions { Id = 1, Name = "road" }, new CategoryOptions { Id = 12, Name = "car", Thing = true } };
        var config = new PipelineConfig
        {
            Categories = categories,
            Models = [new ModelOptions { Path = "/a.onnx", InstanceClasses = [12] }, new ModelOptions { Path = "/b.onnx", SemanticClasses = [-1, 1] }],
        };

        ModelOptions[] resolved = FusionModels.Resolve(config, static _ => "");

        Assert.Equal(2, resolved.Length);
        Assert.All(resolved, m => Assert.Same(categories, m.Categories));
        Assert.Equal("/b.onnx", resolved[1].Path);
    }

    [Fact]
    public void Validate_ModelAndModels_SaysNotBothWithLine()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            model: { path: /one.onnx }
            {{Categories}}
            models:
              - { path: /a.onnx }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains($"{path}:2:", e.Message);
        Assert.Contains("not both", e.Message);
    }

    [Fact]
    public void Validate_ModelsWithoutCategories_NamesTheCategoriesKey()
    {
        string path = Write("sources: [ { uri: /v.mp4 } ]\nmodels:\n  - { path: /a.onnx }\n");
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'categories'", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Validate_EmptyModelsList_NamesTheModelsKey()
    {
        string path = Write($"sources: [ {{ uri: /v.mp4 }} ]\n{Categories}\nmodels: []\n");
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'models': is empty", e.Message);
    }

    [Fact]
    public void Validate_InstanceClassOnStuffCategory_NamesModelIndexClassAndLine()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - { path: /a.onnx, instance_classes: [12] }
              - { path: /b.onnx, instance_classes: [12, 1] }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains($"{path}:8:", e.Message);
        Assert.Contains("key 'models[1].instance_classes[1]'", e.Message);
        Assert.Contains("category 1 is stuff", e.Message);
    }

    [Fact]
    public void Validate_SemanticClassOnThingCategory_NamesTheKey()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - { path: /b.onnx, semantic_classes: [1, 12] }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'models[0].semantic_classes[1]'", e.Message);
        Assert.Contains("is a thing", e.Message);
    }

    [Fact]
    public void Validate_MappedIdMissingFromMergedTable_NamesModelKeyAndId()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - { path: /a.onnx, instance_classes: [12, 40] }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'models[0].instance_classes[1]'", e.Message);
        Assert.Contains("category 40 is not in categories", e.Message);
    }

    [Fact]
    public void Validate_TwoModelsMapSemanticClasses_RefusesTheSecond()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - { path: /a.onnx, semantic_classes: [1] }
              - { path: /b.onnx, semantic_classes: [2] }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'models[1].semantic_classes'", e.Message);
        Assert.Contains("models[0] already provides the stuff", e.Message);
    }

    [Fact]
    public void Validate_ModelWithItsOwnCategories_PointsAtTheTopLevelTable()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - path: /a.onnx
                categories: [ { id: 5, name: x, thing: true } ]
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'models[0].categories'", e.Message);
    }

    [Fact]
    public void Validate_DuplicateMergedCategoryId_NamesTheEntry()
    {
        string path = Write("""
            sources: [ { uri: /v.mp4 } ]
            categories:
              - { id: 1, name: road }
              - { id: 1, name: curb }
            models:
              - { path: /a.onnx }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'categories[1].id': id 1 is used twice", e.Message);
        Assert.Contains($"{path}:4:", e.Message);
    }

    [Fact]
    public void Validate_BadModelOption_IsReportedUnderItsModelsIndex()
    {
        string path = Write($$"""
            sources: [ { uri: /v.mp4 } ]
            {{Categories}}
            models:
              - { path: /a.onnx }
              - { path: /b.onnx, confidence_threshold: 2 }
            """);
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'models[1].confidence_threshold'", e.Message);
    }

    [Fact]
    public void Validate_TopLevelCategoriesWithSingleModel_Refused()
    {
        string path = Write($"sources: [ {{ uri: /v.mp4 }} ]\nmodel: {{ path: /m.onnx }}\n{Categories}\n");
        ConfigurationException e = LoadAndValidateFails(path);
        Assert.Contains("key 'categories'", e.Message);
        Assert.Contains("models:", e.Message);
    }

    [Theory]
    [InlineData("model.instance_classes[3]: category 9 is not in categories", "key 'models[2].instance_classes[3]': category 9 is not in categories")]
    [InlineData("model.path: a model file is required", "key 'models[2].path': a model file is required")]
    [InlineData("something else: x", "models[2]: something else: x")]
    public void Rekey_ModelMessage_NamesTheListEntry(string message, string expected)
        => Assert.Equal(expected, FusionModels.Rekey(message, 2));
}
