using RealtimeSeg.Evaluation.Imaging;

namespace RealtimeSeg.Evaluation.Tests.Imaging;

public sealed class PngDecoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalpan-png-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decode_RgbWithFilterType_RecoversEveryByte(byte filter)
    {
        byte[][] rows = TestPng.Rows(7 * 3, 5, seed: filter);
        byte[] png = TestPng.Build(7, 5, 8, 2, rows, [filter]);

        PngImage image = PngDecoder.Decode(png, "test.png");

        Assert.Equal((7, 5, PngColorType.Rgb, 3), (image.Width, image.Height, image.ColorType, image.Channels));
        Assert.Equal(TestPng.Concat(rows), image.Samples);
    }

    [Fact]
    public void Decode_RgbaWithEveryFilterInTurnAndIdatSplit_RecoversEveryByte()
    {
        byte[][] rows = TestPng.Rows(9 * 4, 11, seed: 5);
        byte[] png = TestPng.Build(9, 11, 8, 6, rows, [4, 3, 2, 1, 0], idatChunkSize: 7);

        PngImage image = PngDecoder.Decode(png, "test.png");

        Assert.Equal(PngColorType.Rgba, image.ColorType);
        Assert.Equal(TestPng.Concat(rows), image.Samples);
    }

    [Fact]
    public void Decode_Gray8AndGrayAlpha_KeepSamples()
    {
        byte[][] gray = TestPng.Rows(6, 4, seed: 1);
        byte[][] grayAlpha = TestPng.Rows(12, 4, seed: 2);

        PngImage g = PngDecoder.Decode(TestPng.Build(6, 4, 8, 0, gray, [3]), "g.png");
        PngImage ga = PngDecoder.Decode(TestPng.Build(6, 4, 8, 4, grayAlpha, [4]), "ga.png");

        Assert.Equal(TestPng.Concat(gray), g.Samples);
        Assert.Equal(TestPng.Concat(grayAlpha), ga.Samples);
        Assert.Equal(2, ga.Channels);
    }

    [Theory]
    [InlineData(1, new byte[] { 0b1010_0000 }, new byte[] { 1, 0, 1 })]
    [InlineData(2, new byte[] { 0b1101_1000 }, new byte[] { 3, 1, 2 })]
    [InlineData(4, new byte[] { 0x2F, 0x70 }, new byte[] { 2, 15, 7 })]
    public void Decode_PaletteBelow8Bits_UnpacksIndices(byte depth, byte[] packedRow, byte[] expected)
    {
        byte[] palette = new byte[16 * 3];
        for (int i = 0; i < palette.Length; i++)
        {
            palette[i] = (byte)(i * 5);
        }
        byte[] png = TestPng.Build(3, 2, depth, 3, [packedRow, packedRow], [1, 2], palette: palette);

        PngImage image = PngDecoder.Decode(png, "p.png");

        Assert.Equal((byte[])[.. expected, .. expected], image.Samples);
        byte[] rgb = image.ToRgb();
        Assert.Equal(palette[3 * expected[1]], rgb[3]);
        Assert.Equal(palette[3 * expected[1] + 2], rgb[5]);
    }

    [Fact]
    public void Decode_Gray2Bit_ScalesLevelsTo255()
    {
        byte[] png = TestPng.Build(4, 1, 2, 0, [[0b00_01_10_11]], [0]);

        PngImage image = PngDecoder.Decode(png, "g2.png");

        Assert.Equal(new byte[] { 0, 85, 170, 255 }, image.Samples);
    }

    [Fact]
    public void Read_Interlaced_ThrowsNamingFileAndInterlace()
    {
        string path = Write("interlaced.png", TestPng.Build(2, 2, 8, 2, TestPng.Rows(6, 2, 1), [0], interlace: 1));

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Read(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("interlaced", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SixteenBit_ThrowsNamingFileAndDepth()
    {
        string path = Write("deep.png", TestPng.Build(2, 2, 16, 2, TestPng.Rows(12, 2, 1), [0], channels: 6));

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Read(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("16-bit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DamagedChunk_ThrowsCrcMismatch()
    {
        byte[] png = TestPng.Build(4, 4, 8, 2, TestPng.Rows(12, 4, 3), [1]);
        png[^20] ^= 0x40; // inside the last IDAT's data

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, "bad.png"));

        Assert.Contains("CRC", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.png:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedFile_Throws()
    {
        byte[] png = TestPng.Build(4, 4, 8, 2, TestPng.Rows(12, 4, 3), [1]);

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png.AsSpan(0, png.Length - 15), "cut.png"));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TooFewRows_ThrowsTruncatedImageData()
    {
        // The header promises 6 rows; the data holds 4.
        byte[] png = TestPng.Build(4, 6, 8, 2, TestPng.Rows(12, 4, 3), [1]);

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, "short.png"));

        Assert.Contains("4 of 6 rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownFilterType_Throws()
    {
        byte[] png = TestPng.Build(2, 2, 8, 0, TestPng.Rows(2, 2, 3), [0, 5]);

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, "f.png"));

        Assert.Contains("filter type 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NotPng_ThrowsBadSignature()
    {
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode("GIF89a............"u8, "x.gif"));

        Assert.Contains("signature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PaletteWithoutPlte_Throws()
    {
        byte[] png = TestPng.Build(2, 1, 8, 3, [[0, 1]], [0]);

        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, "p.png"));

        Assert.Contains("PLTE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToRgb_PaletteIndexPastPalette_Throws()
    {
        byte[] png = TestPng.Build(2, 1, 8, 3, [[0, 2]], [0], palette: [1, 2, 3, 4, 5, 6]);
        PngImage image = PngDecoder.Decode(png, "p.png");

        Assert.Throws<InvalidDataException>(image.ToRgb);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
