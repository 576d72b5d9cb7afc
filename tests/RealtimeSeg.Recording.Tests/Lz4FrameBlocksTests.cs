using System.Buffers.Binary;
using K4os.Compression.LZ4.Streams;
using K4os.Hash.xxHash;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Recording.Tests;

/// <summary><see cref="Lz4FrameBlocks"/>: LZ4 frames of independent blocks decoded in place, everything else left to K4os' frame decoder.</summary>
public sealed class Lz4FrameBlocksTests
{
    /// <summary>9 MB: three 4 MiB blocks' worth, half compressible text, half random (stored blocks).</summary>
    private static byte[] Records()
    {
        var data = new byte[9_000_000];
        new Random(7).NextBytes(data.AsSpan(4_500_000));
        for (int k = 0; k < 4_500_000; k++)
        {
            data[k] = (byte)('a' + (k % 23));
        }
        return data;
    }

    [Fact]
    public void TryDecode_OurOwnWriterSFrame_DecodesInPlace()
    {
        byte[] records = Records();
        using var compressor = new ChunkCompressor(McapCompression.Lz4, zstdLevel: 3);
        byte[] frame = compressor.Compress(records).ToArray();
        var output = new byte[records.Length];

        Assert.True(Lz4FrameBlocks.TryDecode(frame, output, out int written));

        Assert.Equal(records.Length, written);
        Assert.True(records.AsSpan().SequenceEqual(output));
    }

    [Fact]
    public void TryDecode_IndependentBlocksWithChecksumsAndContentSize_DecodesInPlace()
    {
        byte[] records = Records();
        byte[] frame = WithContentSize(Encode(records, new LZ4EncoderSettings
        {
            ChainBlocks = false, BlockChecksum = true, ContentChecksum = true, BlockSize = 64 * 1024,
        }), records.Length);
        var output = new byte[records.Length];

        Assert.True(Lz4FrameBlocks.TryDecode(frame, output, out int written));

        Assert.Equal(records.Length, written);
        Assert.True(records.AsSpan().SequenceEqual(output));
        using var decoder = LZ4Stream.Decode(new MemoryStream(frame));
        var viaK4os = new byte[records.Length];
        decoder.ReadExactly(viaK4os);
        Assert.True(records.AsSpan().SequenceEqual(viaK4os)); // the patched header is a valid one
    }

    [Fact]
    public void Decompress_LinkedBlocks_LeftToTheFrameDecoder()
    {
        byte[] records = Records();
        byte[] frame = Encode(records, new LZ4EncoderSettings { ChainBlocks = true, BlockSize = 64 * 1024 });

        Assert.False(Lz4FrameBlocks.TryDecode(frame, new byte[records.Length], out _));
        byte[] output = ChunkDecompressor.Decompress(McapFormat.CompressionLz4, frame, records.Length, "x.mcap", 1234);

        Assert.True(records.AsSpan().SequenceEqual(output));
    }

    [Fact]
    public void Decompress_TruncatedFrame_NamesTheFileAndChunk()
    {
        byte[] records = Records();
        using var compressor = new ChunkCompressor(McapCompression.Lz4, zstdLevel: 3);
        byte[] frame = compressor.Compress(records).ToArray();

        var e = Assert.Throws<McapFormatException>(() => ChunkDecompressor.Decompress(McapFormat.CompressionLz4, frame.AsSpan(0, frame.Length / 2), records.Length, "x.mcap", 1234));

        Assert.Contains("x.mcap", e.Message, StringComparison.Ordinal);
        Assert.Contains("1234", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The frame with its optional content size field (which K4os does not write): FLG bit 3, 8 bytes after BD, a new header checksum.</summary>
    private static byte[] WithContentSize(byte[] frame, long contentSize)
    {
        var result = new byte[frame.Length + 8];
        frame.AsSpan(0, 6).CopyTo(result);
        result[4] |= 0x08;
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(6), contentSize);
        result[14] = (byte)(XXH32.DigestOf(result.AsSpan(4, 10)) >> 8);
        frame.AsSpan(7).CopyTo(result.AsSpan(15));
        return result;
    }

    private static byte[] Encode(byte[] records, LZ4EncoderSettings settings)
    {
        using var file = new MemoryStream();
        using (LZ4EncoderStream encoder = LZ4Stream.Encode(file, settings, leaveOpen: true))
        {
            encoder.Write(records);
        }
        return file.ToArray();
    }
}
