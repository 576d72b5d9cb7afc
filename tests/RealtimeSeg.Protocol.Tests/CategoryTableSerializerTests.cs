using System.Buffers;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Protocol.Tests;

public sealed class CategoryTableSerializerTests
{
    [Fact]
    public void Write_Table_RoundTripsStreamVersionAndCategories()
    {
        byte[] payload = CategoryTableSerializer.ToArray("rear", SyntheticScene.Categories);

        CategoryTableMessage message = CategoryTableSerializer.Read(payload);

        Assert.Equal("rear", message.Stream);
        Assert.Equal(SyntheticScene.Categories.Version, message.Version);
        Assert.Equal(SyntheticScene.Categories.Categories, message.Categories.Categories);
        Assert.Equal(SyntheticScene.Categories.Version, message.Categories.Version);
    }

    [Fact]
    public void Write_Table_HasDocumentedKeysAndStageNames()
    {
        Dictionary<object, object> m = MessageEditor.Decode(CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories));

        Assert.Equal(["v", "type", "stream", "cat_ver", "stages", "cats"], m.Keys.Cast<string>());
        Assert.Equal("meta", m["type"]);
        Assert.Equal(
            ["captured", "dequeued", "preprocessed", "inferred", "decoded", "tracked", "composed", "published"],
            ((object[])m["stages"]).Cast<string>());
        Assert.Equal(PipelineStages.Count, ((object[])m["stages"]).Length);
        var first = (Dictionary<object, object>)((object[])m["cats"])[0];
        Assert.Equal(["id", "name", "thing", "color"], first.Keys.Cast<string>());
        Assert.Equal("person", first["name"]);
        Assert.Equal(0xDC143C, Convert.ToInt32(first["color"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Read_UnknownKeys_AreSkipped()
    {
        byte[] edited = MessageEditor.Edit(CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories), m =>
        {
            m["x_model"] = "yolov8n-seg";
            ((Dictionary<object, object>)((object[])m["cats"])[1])["supercategory"] = "vehicle";
        });

        CategoryTableMessage message = CategoryTableSerializer.Read(edited);

        Assert.Equal(SyntheticScene.Categories.Categories, message.Categories.Categories);
    }

    [Fact]
    public void Read_DuplicateCategoryIds_ThrowsProtocolException()
    {
        byte[] edited = MessageEditor.Edit(CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories), m =>
            ((Dictionary<object, object>)((object[])m["cats"])[1])["id"] = 1);

        ProtocolException e = Assert.Throws<ProtocolException>(() => CategoryTableSerializer.Read(edited));

        Assert.Contains("appears twice", e.Message);
    }

    [Fact]
    public void Read_CategoryNameNotString_NamesCategoryIndex()
    {
        byte[] edited = MessageEditor.Edit(CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories), m =>
            ((Dictionary<object, object>)((object[])m["cats"])[2])["name"] = 7);

        ProtocolException e = Assert.Throws<ProtocolException>(() => CategoryTableSerializer.Read(edited));

        Assert.Equal("cats[2].name", e.Key);
        Assert.Equal("expected string, found integer", e.Problem);
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException()
    {
        byte[] payload = CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories);
        for (int length = 0; length < payload.Length; length++)
        {
            ProtocolException e = Assert.Throws<ProtocolException>(() => CategoryTableSerializer.Read(payload.AsMemory(0, length)));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void Read_FrameMessage_ThrowsTypeMismatch()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, SyntheticScene.Create(8, 4, 1));

        ProtocolException e = Assert.Throws<ProtocolException>(() => CategoryTableSerializer.Read(buffer.WrittenMemory));

        Assert.Equal("type", e.Key);
    }

    [Theory]
    [InlineData("cats")]
    [InlineData("cat_ver")]
    [InlineData("stream")]
    public void Read_RequiredKeyMissing_NamesKey(string key)
    {
        byte[] edited = MessageEditor.Edit(CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories), m => m.Remove(key));

        ProtocolException e = Assert.Throws<ProtocolException>(() => CategoryTableSerializer.Read(edited));

        Assert.Equal(key, e.Key);
    }

    [Fact]
    public void Write_InvalidStreamName_Throws()
    {
        Assert.Throws<ArgumentException>(() => CategoryTableSerializer.ToArray("front/left", SyntheticScene.Categories));
    }
}
