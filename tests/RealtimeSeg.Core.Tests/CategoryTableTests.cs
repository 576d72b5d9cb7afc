using RealtimeSeg.Core;

namespace RealtimeSeg.Core.Tests;

public sealed class CategoryTableTests
{
    [Fact]
    public void Constructor_DuplicateId_NamesBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => new CategoryTable([new Category(1, "car", true, 0), new Category(1, "road", false, 0)]));
        Assert.Contains("car", e.Message);
        Assert.Contains("road", e.Message);
    }

    [Fact]
    public void Version_ChangesWithAnyField()
    {
        uint v1 = new CategoryTable([new Category(1, "car", true, 0xff0000)]).Version;
        Assert.Equal(v1, new CategoryTable([new Category(1, "car", true, 0xff0000)]).Version);
        Assert.NotEqual(v1, new CategoryTable([new Category(1, "cat", true, 0xff0000)]).Version);
        Assert.NotEqual(v1, new CategoryTable([new Category(1, "car", false, 0xff0000)]).Version);
        Assert.NotEqual(v1, new CategoryTable([new Category(2, "car", true, 0xff0000)]).Version);
        Assert.NotEqual(v1, new CategoryTable([new Category(1, "car", true, 0x00ff00)]).Version);
    }

    [Fact]
    public void Unnamed_GivesClassNThings()
    {
        CategoryTable t = CategoryTable.Unnamed(3);
        Assert.True(t.TryGet(2, out Category? c));
        Assert.Equal("class_2", c!.Name);
        Assert.True(c.IsThing);
        Assert.False(t.TryGet(3, out _));
    }

    [Fact]
    public void Palette_NeighbouringIdsGetDifferentColours()
    {
        var colours = Enumerable.Range(0, 80).Select(Palette.ColorFor).ToHashSet();
        Assert.Equal(80, colours.Count);
        Assert.All(colours, c => Assert.InRange(c, 0, 0xFFFFFF));
    }
}
