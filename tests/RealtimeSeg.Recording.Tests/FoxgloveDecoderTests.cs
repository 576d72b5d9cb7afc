using System.Buffers;
using RealtimeSeg.Recording.Foxglove;

namespace RealtimeSeg.Recording.Tests;

/// <summary>
/// <see cref="FoxgloveDecoder"/> reads back the image of the <c>foxglove.CompressedImage</c> messages our recorder writes
/// (what <c>replay --overlay</c> draws on), refuses other formats, and names a broken message instead of reading past it.
/// </summary>
public sealed class FoxgloveDecoderTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 200, 201, 0xFF, 0xD9];

    [Fact]
    public void TryReadJpeg_RecorderMessage_ReturnsTheImageBytes()
    {
        byte[] message = Write("jpeg");

        Assert.True(FoxgloveDecoder.TryReadJpeg(message, out ReadOnlySpan<byte> jpeg));
        Assert.Equal(Jpeg, jpeg.ToArray());
    }

    [Fact]
    public void TryReadJpeg_PngMessage_ReturnsFalse()
    {
        Assert.False(FoxgloveDecoder.TryReadJpeg(Write("png"), out _));
    }

    [Fact]
    public void TryReadJpeg_TruncatedMessage_ThrowsNamingTheField()
    {
        byte[] message = Write("jpeg");
        // Cut inside the image's bytes (field 2, after the timestamp): the length prefix claims more than is left.
        int cut = message.AsSpan().IndexOf(Jpeg.AsSpan(0, 4)) + 2;

        var e = Assert.Throws<InvalidDataException>(() => FoxgloveDecoder.TryReadJpeg(message.AsSpan(0, cut), out _));
        Assert.Contains("field 2", e.Message, StringComparison.Ordinal);
    }

    private static byte[] Write(string format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        FoxgloveEncoder.WriteCompressedImage(buffer, 1_700_000_000_123_456_789, "cam0", Jpeg, format);
        return buffer.WrittenSpan.ToArray();
    }
}
