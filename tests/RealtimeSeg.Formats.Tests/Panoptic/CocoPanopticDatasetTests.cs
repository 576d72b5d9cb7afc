using System.Text;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Panoptic;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Panoptic;

public sealed class CocoPanopticDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalpan-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [AssetFact]
    public void Load_CocoSample_ReadsImagesAnnotationsSegmentsAndCategories()
    {
        CocoPanopticDataset d = CocoPanopticDataset.Load(TestAssets.Path("panoptic/coco-sample/panoptic_examples.json"));

        Assert.Equal(2, d.Annotations.Count);
        Assert.Equal([18, 32], d.Annotations.Select(a => a.Segments.Count));
        CocoPanopticAnnotation first = d.Annotations[0];
        Assert.Equal(CocoImageId.FromNumber(142238), first.ImageId);
        Assert.Equal("000000142238.png", first.FileName);
        CocoSegmentInfo s = first.Segments[0];
        Assert.Equal((3937500, 1, false, 3528L), (s.Id, s.CategoryId, s.IsCrowd, s.Area));
        Assert.Equal((282.0, 207.0, 48.0, 149.0), (s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight));
        Assert.Null(s.TrackId);
        Assert.True(first.Segments.Single(x => x.Id == 3153362).IsCrowd);
        Assert.Equal(133, d.Categories.Count);
        Assert.Equal(new CocoCategory(1, "person", true, 0xDC143C, "person"), d.Categories[0]);
        Assert.False(d.FindCategory(184)!.IsThing);
        Assert.Equal((640, 427), (d.Images[0].Width, d.Images[0].Height));
    }

    [Fact]
    public void SaveThenLoad_RoundTripsEveryField()
    {
        var d = new CocoPanopticDataset();
        d.Categories.Add(new CocoCategory(3, "car", true, 0x00008E, "vehicle"));
        d.Categories.Add(new CocoCategory(7, "road", false));
        d.Images.Add(new CocoImage(CocoImageId.FromText("frankfurt_000000_000294"), "frankfurt_000000_000294.png", 2048, 1024));
        d.Images.Add(new CocoImage(12, "000012.png", 640, 480));
        var a = new CocoPanopticAnnotation(CocoImageId.FromText("frankfurt_000000_000294"), "frankfurt_000000_000294.png");
        a.Segments.Add(new CocoSegmentInfo { Id = 0x123456, CategoryId = 3, IsCrowd = true, BboxX = 1, BboxY = 2, BboxWidth = 3.5, BboxHeight = 4, Area = 99 });
        a.Segments.Add(new CocoSegmentInfo { Id = 2, CategoryId = 3, Area = 5, TrackId = 41 });
        d.Annotations.Add(a);
        d.Annotations.Add(new CocoPanopticAnnotation(12, "000012.png"));
        string path = Path.Combine(_dir, "d.json");

        d.Save(path);
        CocoPanopticDataset back = CocoPanopticDataset.Load(path);

        Assert.Equal(d.Categories, back.Categories);
        Assert.Equal(d.Images, back.Images);
        Assert.Equal(2, back.Annotations.Count);
        Assert.Equal(a.ImageId, back.Annotations[0].ImageId);
        Assert.Equal(a.Segments, back.Annotations[0].Segments);
        Assert.Equal(CocoImageId.FromNumber(12), back.Annotations[1].ImageId);
        Assert.NotEqual(CocoImageId.FromText("12"), back.Annotations[1].ImageId);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Write_UsesCocoFieldNamesAndEncodings()
    {
        var d = CocoPanopticDataset.FromCategoryTable(new CategoryTable([new Category(3, "car", true, 0x102030)]));
        var a = new CocoPanopticAnnotation(5, "5.png");
        a.Segments.Add(new CocoSegmentInfo { Id = 1, CategoryId = 3, BboxWidth = 2, BboxHeight = 3, Area = 6, TrackId = 8 });
        d.Annotations.Add(a);
        using var stream = new MemoryStream();

        d.Write(stream);
        using JsonDocument doc = JsonDocument.Parse(stream.ToArray());

        JsonElement seg = doc.RootElement.GetProperty("annotations")[0].GetProperty("segments_info")[0];
        Assert.Equal(5, doc.RootElement.GetProperty("annotations")[0].GetProperty("image_id").GetInt64());
        Assert.Equal(0, seg.GetProperty("iscrowd").GetInt32());
        Assert.Equal("[0,0,2,3]", seg.GetProperty("bbox").GetRawText());
        Assert.Equal(8, seg.GetProperty("track_id").GetInt32());
        JsonElement cat = doc.RootElement.GetProperty("categories")[0];
        Assert.Equal(1, cat.GetProperty("isthing").GetInt32());
        Assert.Equal("[16,32,48]", cat.GetProperty("color").GetRawText());
    }

    [Fact]
    public void WriteThenParse_Info_WrittenFirstAndReadBack()
    {
        var d = new CocoPanopticDataset();
        d.Info["description"] = "a test";
        d.Info["source"] = "synthetic:drive?seed=1";
        using var stream = new MemoryStream();

        d.Write(stream);
        CocoPanopticDataset back = CocoPanopticDataset.Parse(stream.ToArray(), "info.json");

        Assert.StartsWith("{\"info\":{\"description\":\"a test\"", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
        Assert.Equal(d.Info, back.Info);
    }

    [Fact]
    public void Write_NoInfo_LeavesTheBlockOut()
    {
        using var stream = new MemoryStream();

        new CocoPanopticDataset().Write(stream);

        Assert.DoesNotContain("info", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingCategoryId_ThrowsNamingFileAndFieldPath()
    {
        byte[] json = Encoding.UTF8.GetBytes("""
            { "annotations": [ { "image_id": 1, "file_name": "1.png",
                "segments_info": [ { "id": 1, "category_id": 2 }, { "id": 2 } ] } ] }
            """);

        var e = Assert.Throws<InvalidDataException>(() => CocoPanopticDataset.Parse(json, "pred.json"));

        Assert.Equal("pred.json: annotations[0].segments_info[1].category_id missing", e.Message);
    }

    [Fact]
    public void Parse_NotJson_ThrowsWithLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => CocoPanopticDataset.Parse("{\n \"annotations\": [ oops ]\n}"u8, "x.json"));

        Assert.StartsWith("x.json: not valid JSON (line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoAnnotations_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => CocoPanopticDataset.Parse("{ \"categories\": [] }"u8, "x.json"));

        Assert.Contains("annotations missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BooleanFlagsAndNoCategories_Accepted()
    {
        CocoPanopticDataset d = CocoPanopticDataset.Parse("""
            { "annotations": [ { "image_id": "a", "file_name": "a.png",
                "segments_info": [ { "id": 4, "category_id": 2, "iscrowd": true, "area": 7.0 } ] } ] }
            """u8, "x.json");

        Assert.Empty(d.Categories);
        Assert.True(d.Annotations[0].Segments[0].IsCrowd);
        Assert.Equal(7, d.Annotations[0].Segments[0].Area);
        Assert.Equal("a", d.Annotations[0].ImageId.Text);
    }

    [Fact]
    public void Parse_FlagNotZeroOrOne_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => CocoPanopticDataset.Parse("""
            { "annotations": [], "categories": [ { "id": 1, "name": "x", "isthing": 2 } ] }
            """u8, "c.json"));

        Assert.Contains("categories[0].isthing is not 0 or 1", e.Message, StringComparison.Ordinal);
    }
}
