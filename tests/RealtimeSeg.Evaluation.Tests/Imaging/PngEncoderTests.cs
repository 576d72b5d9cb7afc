using System.Buffers.Binary;
using RealtimeSeg.Evaluation.Imaging;

namespace RealtimeSeg.Evaluation.Tests.Imaging;

public sealed class PngEncoderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(641, 7)]
    [InlineData(64, 64)]
    public void WriteRgb_ThenDecode_RoundTripsEveryByte(int width, int height)
    {
        byte[] rgb = TestPng.Concat(TestPng.Rows(width * 3, height, seed: width));
        using var stream = new MemoryStream();

        PngEncoder.WriteRgb(stream, width, height, rgb);
        PngImage decoded = PngDecoder.Decode(stream.ToArray(), "round-trip");

        Assert.Equal((width, height, PngColorType.Rgb), (decoded.Width, decoded.Height, decoded.ColorType));
        Assert.Equal(rgb, decoded.Samples);
    }

    [Fact]
    public void WriteRgb_NoisyImage_SplitsIdatAndRoundTrips()
    {
        var random = new Random(11);
        byte[] rgb = new byte[300 * 300 * 3];
        random.NextBytes(rgb);
        using var stream = new MemoryStream();

        PngEncoder.WriteRgb(stream, 300, 300, rgb);
        byte[] png = stream.ToArray();

        Assert.True(CountChunks(png, "IDAT") >= 2, "270 KB of noise does not fit one 64 KiB IDAT chunk");
        Assert.Equal(rgb, PngDecoder.Decode(png, "noise").Samples);
    }

    [Fact]
    public void WriteRgb_Output_HasStandardHeaderAndChunkCrcs()
    {
        using var stream = new MemoryStream();

        PngEncoder.WriteRgb(stream, 5, 3, new byte[5 * 3 * 3]);
        byte[] png = stream.ToArray();

        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, png[24..29]);
        // Every PNG ends with the same IEND chunk: length 0, "IEND", CRC AE 42 60 82.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 73, 69, 78, 68, 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
        int pos = 8;
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(TestPng.BitwiseCrc(png.AsSpan(pos + 4, 4 + length)), crc);
            pos += 12 + length;
        }
    }

    [Fact]
    public void WriteRgb_WrongBufferLength_Throws()
    {
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => PngEncoder.WriteRgb(stream, 2, 2, new byte[11]));
    }

    [Fact]
    public void Crc32_KnownVectors_MatchStandard()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
        Assert.Equal(Crc32.Compute("IENDabc"u8), Crc32.Append(Crc32.Compute("IEND"u8), "abc"u8));
    }

    private static int CountChunks(byte[] png, string type)
    {
        int count = 0, pos = 8;
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (png.AsSpan(pos + 4, 4).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(type)))
            {
                count++;
            }
            pos += 12 + length;
        }
        return count;
    }
}
