using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using OpenCvSharp;
using RealtimeSeg.Formats.Panoptic;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Panoptic;

public sealed class PanopticIdPngTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("formats-ids-").FullName;

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

    [Theory]
    [InlineData(1, 1, CompressionLevel.Fastest)]
    [InlineData(3, 2, CompressionLevel.Fastest)]
    [InlineData(641, 7, CompressionLevel.Fastest)]
    [InlineData(64, 64, CompressionLevel.Optimal)]
    [InlineData(64, 64, CompressionLevel.SmallestSize)]
    [InlineData(64, 64, CompressionLevel.NoCompression)]
    public void Write_NoisyIdsAtAnySizeAndLevel_DecodeToTheSameIds(int width, int height, CompressionLevel level)
    {
        var random = new Random(width * 31 + height);
        int[] ids = [.. Enumerable.Range(0, width * height).Select(_ => random.Next(PanopticIdPng.MaxId + 1))];
        using var stream = new MemoryStream();

        PanopticIdPng.Write(stream, width, height, ids, level);
        var map = new IdMap(0, 0);
        PanopticIdPng.Decode(stream.ToArray(), "round-trip", map);

        Assert.Equal((width, height), (map.Width, map.Height));
        Assert.Equal(ids, map.Ids.ToArray());
    }

    [Fact]
    public void Write_SixteenBitIds_ReadBackAsTheSameIds()
    {
        ushort[] ids = [0, 1, 255, 256, ushort.MaxValue, 64];
        string path = Path.Combine(_dir, "ushort.png");

        PanopticIdPng.Write(path, 3, 2, ids);

        Assert.Equal(ids.Select(i => (int)i), PanopticIdPng.Read(path).Ids.ToArray());
    }

    [Fact]
    public void Write_Output_IsAn8BitRgbPngOtherToolsReadAsRThenGThenB()
    {
        using var stream = new MemoryStream();

        PanopticIdPng.Write(stream, 2, 1, [0x030201, 0x0A0B0C]);
        byte[] png = stream.ToArray();

        // IHDR: width 2, height 1, bit depth 8, colour type 2 (RGB), no interlace.
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal((2u, 1u), (BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20))));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, png[24..29]);
        // Another reader (OpenCV's own, in BGR order) sees R = low byte, G = middle, B = high.
        using Mat bgr = Cv2.ImDecode(png, ImreadModes.Unchanged);
        Assert.Equal(new Vec3b(3, 2, 1), bgr.At<Vec3b>(0, 0));
        Assert.Equal(new Vec3b(0x0A, 0x0B, 0x0C), bgr.At<Vec3b>(0, 1));
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
    public void Write_WrongIdCount_Throws()
    {
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => PanopticIdPng.Write(stream, 2, 2, new int[3]));
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

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decode_RgbWithFilterType_GivesEveryId(byte filter)
    {
        byte[][] rows = TestPng.Rows(7 * 3, 5, seed: filter);
        byte[] png = TestPng.Build(7, 5, 8, 2, rows, [filter], idatChunkSize: 9);

        Assert.Equal(IdsOfRgb(rows), Decode(png));
    }

    [Fact]
    public void Decode_Interlaced_GivesTheSameIdsAsNonInterlaced()
    {
        byte[][] rows = TestPng.Rows(11 * 3, 9, seed: 7);

        int[] interlaced = Decode(TestPng.Build(11, 9, 8, 2, rows, [0, 1, 2, 3, 4], interlace: 1));

        Assert.Equal(IdsOfRgb(rows), interlaced);
    }

    [Fact]
    public void Decode_RgbaPng_IgnoresAlpha()
    {
        byte[] png = TestPng.Build(2, 1, 8, 6, [[1, 2, 3, 255, 4, 5, 6, 0]], [1]);

        int[] expected = [0x030201, 0x060504];
        Assert.Equal(expected, Decode(png));
    }

    [Fact]
    public void Decode_GrayAndGrayAlpha_GiveTheGrayValue()
    {
        int[] gray = Decode(TestPng.Build(3, 1, 8, 0, [[0, 7, 255]], [3]));
        int[] grayAlpha = Decode(TestPng.Build(2, 1, 8, 4, [[9, 0, 200, 255]], [4]));

        Assert.Equal([0, 7, 255], gray);
        Assert.Equal([9, 200], grayAlpha);
    }

    [Fact]
    public void Decode_PalettePng_GivesIndicesNotColours()
    {
        byte[] png = TestPng.Build(3, 1, 8, 3, [[2, 0, 1]], [0], palette: [10, 0, 0, 20, 0, 0, 30, 0, 0]);

        int[] expected = [2, 0, 1];
        Assert.Equal(expected, Decode(png));
    }

    [Theory]
    [InlineData(1, new byte[] { 0b1010_0000 }, new[] { 1, 0, 1 })]
    [InlineData(2, new byte[] { 0b1101_1000 }, new[] { 3, 1, 2 })]
    [InlineData(4, new byte[] { 0x2F, 0x70 }, new[] { 2, 15, 7 })]
    public void Decode_PaletteBelow8Bits_GivesIndices(byte depth, byte[] packedRow, int[] expected)
    {
        byte[] palette = new byte[16 * 3];
        for (int i = 0; i < palette.Length; i++)
        {
            palette[i] = (byte)(i * 5);
        }
        byte[] png = TestPng.Build(3, 2, depth, 3, [packedRow, packedRow], [1, 2], palette: palette);

        Assert.Equal([.. expected, .. expected], Decode(png));
    }

    [Fact]
    public void Decode_PaletteEntriesSharingAUsedColour_ThrowsRatherThanGuessing()
    {
        // Entries 0 and 2 are both black: a black pixel's index cannot be told.
        byte[] png = TestPng.Build(2, 1, 8, 3, [[1, 2]], [0], palette: [0, 0, 0, 9, 9, 9, 0, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => Decode(png, "shared.png"));

        Assert.StartsWith("shared.png:", e.Message, StringComparison.Ordinal);
        Assert.Contains("pixel (1,0)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PaletteEntriesSharingAnUnusedColour_StillExact()
    {
        byte[] png = TestPng.Build(2, 1, 8, 3, [[1, 3]], [0], palette: [0, 0, 0, 9, 9, 9, 0, 0, 0, 5, 5, 5]);

        Assert.Equal([1, 3], Decode(png));
    }

    [Fact]
    public void Read_SixteenBit_ThrowsNamingFileAndDepth()
    {
        string path = WriteFile("deep.png", TestPng.Build(2, 2, 16, 2, TestPng.Rows(12, 2, 1), [0], channels: 6));

        var e = Assert.Throws<InvalidDataException>(() => PanopticIdPng.Read(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("16-bit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DamagedChunk_ThrowsNamingFileAndDamage()
    {
        byte[] png = TestPng.Build(4, 4, 8, 2, TestPng.Rows(12, 4, 3), [1]);
        png[^20] ^= 0x40; // inside the last IDAT's data: its CRC no longer matches
        string path = WriteFile("bad.png", png);

        var e = Assert.Throws<InvalidDataException>(() => PanopticIdPng.Read(path));

        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedFile_ThrowsTruncated()
    {
        byte[] png = TestPng.Build(4, 4, 8, 2, TestPng.Rows(12, 4, 3), [1]);

        var e = Assert.Throws<InvalidDataException>(() => Decode(png.AsSpan(0, png.Length - 15).ToArray(), "cut.png"));

        Assert.StartsWith("cut.png:", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TooFewRows_ThrowsDamaged()
    {
        // The header promises 6 rows; the data holds 4.
        byte[] png = TestPng.Build(4, 6, 8, 2, TestPng.Rows(12, 4, 3), [1]);

        var e = Assert.Throws<InvalidDataException>(() => Decode(png, "short.png"));

        Assert.StartsWith("short.png:", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownFilterType_ThrowsDamaged()
    {
        byte[] png = TestPng.Build(2, 2, 8, 0, TestPng.Rows(2, 2, 3), [0, 5]);

        var e = Assert.Throws<InvalidDataException>(() => Decode(png, "f.png"));

        Assert.StartsWith("f.png:", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NotPng_ThrowsBadSignature()
    {
        var e = Assert.Throws<InvalidDataException>(() => Decode("GIF89a............"u8.ToArray(), "x.gif"));

        Assert.StartsWith("x.gif:", e.Message, StringComparison.Ordinal);
        Assert.Contains("signature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PaletteWithoutPlte_Throws()
    {
        byte[] png = TestPng.Build(2, 1, 8, 3, [[0, 1]], [0]);

        var e = Assert.Throws<InvalidDataException>(() => Decode(png, "p.png"));

        Assert.Contains("PLTE", e.Message, StringComparison.Ordinal);
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

    private static int[] Decode(byte[] png, string name = "test.png")
    {
        var map = new IdMap(0, 0);
        PanopticIdPng.Decode(png, name, map);
        return map.Ids.ToArray();
    }

    private static int[] IdsOfRgb(byte[][] rows)
    {
        byte[] rgb = TestPng.Concat(rows);
        return [.. Enumerable.Range(0, rgb.Length / 3).Select(i => PanopticIdPng.IdFromRgb(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]))];
    }

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
