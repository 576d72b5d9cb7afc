using System.Text.Json;
using RealtimeSeg.Evaluation.Imaging;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Evaluation.Tests.Imaging;

public sealed class PanopticIdPngTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalpan-ids-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_ThenRead_RoundTripsIdsAcrossAll24Bits()
    {
        int[] ids = [0, 1, 255, 256, 257, 65535, 65536, 0x123456, PanopticIdPng.MaxId, 42, 42, 42];
        string path = Path.Combine(_dir, "ids.png");

        PanopticIdPng.Write(path, 4, 3, ids);
        IdMap map = PanopticIdPng.Read(path);

        Assert.Equal((4, 3), (map.Width, map.Height));
        Assert.Equal(ids, map.Ids.ToArray());
    }

    [Fact]
    public void Write_IdOrderIsRThenGThenB()
    {
        using var stream = new MemoryStream();

        PanopticIdPng.Write(stream, 1, 1, [0x030201]);
        PngImage image = PngDecoder.Decode(stream.ToArray(), "one");

        Assert.Equal(new byte[] { 1, 2, 3 }, image.Samples);
        Assert.Equal(0x030201, PanopticIdPng.IdFromRgb(1, 2, 3));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1 << 24)]
    public void Write_IdOutside24Bits_Throws(int id)
    {
        using var stream = new MemoryStream();

        var e = Assert.Throws<ArgumentException>(() => PanopticIdPng.Write(stream, 2, 1, [0, id]));

        Assert.Contains("(1,0)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IntoReusedMap_ResizesAndOverwrites()
    {
        string small = Path.Combine(_dir, "small.png"), large = Path.Combine(_dir, "large.png");
        PanopticIdPng.Write(small, 2, 2, [1, 2, 3, 4]);
        PanopticIdPng.Write(large, 3, 2, [9, 8, 7, 6, 5, 4]);
        var map = new IdMap(0, 0);

        PanopticIdPng.Read(large, map);
        PanopticIdPng.Read(small, map);

        Assert.Equal((2, 2), (map.Width, map.Height));
        int[] expected = [1, 2, 3, 4];
        Assert.Equal(expected, map.Ids.ToArray());
    }

    [Fact]
    public void Decode_PalettePng_GivesIndicesNotColours()
    {
        byte[] png = TestPng.Build(3, 1, 8, 3, [[2, 0, 1]], [0], palette: [10, 0, 0, 20, 0, 0, 30, 0, 0]);
        var map = new IdMap(0, 0);

        PanopticIdPng.Decode(png, "p.png", map);

        int[] expected = [2, 0, 1];
        Assert.Equal(expected, map.Ids.ToArray());
    }

    [Fact]
    public void Decode_RgbaPng_IgnoresAlpha()
    {
        byte[] png = TestPng.Build(2, 1, 8, 6, [[1, 2, 3, 255, 4, 5, 6, 0]], [1]);
        var map = new IdMap(0, 0);

        PanopticIdPng.Decode(png, "a.png", map);

        int[] expected = [0x030201, 0x060504];
        Assert.Equal(expected, map.Ids.ToArray());
    }

    [AssetTheory]
    [InlineData("000000142238")]
    [InlineData("000000439180")]
    public void Read_CocoPanopticExample_GivesExactlyTheListedSegmentsWithTheirAreas(string stem)
    {
        string folder = TestAssets.Path("panoptic/coco-sample");
        IdMap map = PanopticIdPng.Read(Path.Combine(folder, "panoptic_examples", stem + ".png"));
        var counted = new Dictionary<int, long>();
        foreach (int id in map.Ids)
        {
            if (id != 0)
            {
                counted[id] = counted.GetValueOrDefault(id) + 1;
            }
        }

        // Read with System.Text.Json directly rather than through the code under test.
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "panoptic_examples.json")));
        JsonElement annotation = json.RootElement.GetProperty("annotations").EnumerateArray()
            .Single(a => a.GetProperty("file_name").GetString() == stem + ".png");
        var listed = annotation.GetProperty("segments_info").EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetInt32(), s => s.GetProperty("area").GetInt64());

        Assert.Equal(listed.OrderBy(p => p.Key), counted.OrderBy(p => p.Key));
    }
}
