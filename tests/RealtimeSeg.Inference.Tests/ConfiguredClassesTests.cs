using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Tests;

public sealed class ConfiguredClassesTests
{
    private static readonly ModelOptions Road = new()
    {
        Path = "road.onnx",
        Categories =
        [
            new CategoryOptions { Id = 1, Name = "road", Color = [128, 64, 128] },
            new CategoryOptions { Id = 2, Name = "curb" },
            new CategoryOptions { Id = 3, Name = "lane mark" },
        ],
        SemanticClasses = [-1, 1, 2, 3],
    };

    [Fact]
    public void Build_RoadConfig_BackgroundVoidAndThreeStuffCategories()
    {
        Road.Validate();

        ModelClasses classes = ConfiguredClasses.Build(Road, instanceClasses: 0, semanticClasses: 4);

        Assert.Equal([-1, 1, 2, 3], classes.StuffCategoryForClass.ToArray());
        Assert.Empty(classes.ThingCategoryForClass);
        Assert.True(classes.Categories.TryGet(1, out Category road));
        Assert.Equal(("road", false, 0x804080), (road.Name, road.IsThing, road.Color));
    }

    [Fact]
    public void Build_NoMapping_ClassIdIsCategoryIdWhereTheKindFits()
    {
        var options = new ModelOptions
        {
            Path = "m.onnx",
            Categories = [new CategoryOptions { Id = 0, Name = "person", Thing = true }, new CategoryOptions { Id = 2, Name = "car", Thing = true }],
        };

        ModelClasses classes = ConfiguredClasses.Build(options, instanceClasses: 3, semanticClasses: 0);

        Assert.Equal([0, -1, 2], classes.ThingCategoryForClass.ToArray());
    }

    [Fact]
    public void Build_SemanticClassOnAThingCategory_ConfigurationErrorSayingWhy()
    {
        var options = Road with { Categories = [new CategoryOptions { Id = 1, Name = "car", Thing = true }], SemanticClasses = [-1, 1] };

        var ex = Assert.Throws<ConfigurationException>(() => ConfiguredClasses.Build(options, 0, 2));

        Assert.Equal("model.semantic_classes[1]: category 1 'car' is a thing; semantic classes are published as stuff regions without track ids (set thing: false; docs/models.md)", ex.Message);
    }

    [Fact]
    public void Build_MappingOfTheWrongLength_NamesBothCounts()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ConfiguredClasses.Build(Road, 0, 21));

        Assert.Equal("model.semantic_classes: lists 4 classes but the model has 21 semantic classes", ex.Message);
    }

    [Theory]
    [InlineData("categories[1].id")]
    [InlineData("categories[0].name")]
    [InlineData("categories[0].color")]
    [InlineData("semantic_classes[2]")]
    [InlineData("instance_classes")]
    public void Validate_BadCategorySetting_NamesTheKey(string key)
    {
        ModelOptions bad = key switch
        {
            "categories[1].id" => Road with { Categories = [new CategoryOptions { Id = 1, Name = "a" }, new CategoryOptions { Id = 1, Name = "b" }], SemanticClasses = null },
            "categories[0].name" => Road with { Categories = [new CategoryOptions { Id = 1, Name = " " }], SemanticClasses = null },
            "categories[0].color" => Road with { Categories = [new CategoryOptions { Id = 1, Name = "a", Color = [1, 2, 300] }], SemanticClasses = null },
            "semantic_classes[2]" => Road with { SemanticClasses = [-1, 1, 9, 3] },
            "instance_classes" => new ModelOptions { Path = "m.onnx", InstanceClasses = [0] },
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };

        var ex = Assert.Throws<ConfigurationException>(bad.Validate);

        Assert.StartsWith($"model.{key}:", ex.Message);
    }
}
