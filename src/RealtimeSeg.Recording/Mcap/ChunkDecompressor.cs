using K4os.Compression.LZ4.Streams;
using ZstdSharp;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>Decompresses a chunk's records into a new buffer of the size the chunk declares.</summary>
internal static class ChunkDecompressor
{
    /// <summary>Returns the uncompressed records, or throws <see cref="McapFormatException"/> naming the chunk's offset.</summary>
    public static byte[] Decompress(string compression, ReadOnlySpan<byte> records, long uncompressedSize, string file, long chunkOffset)
    {
        if (uncompressedSize < 0 || uncompressedSize > McapFormat.MaxRecordLength)
        {
            throw new McapFormatException(file, chunkOffset, $"chunk declares an uncompressed size of {uncompressedSize} bytes");
        }
        var output = new byte[uncompressedSize];
        int written;
        try
        {
            switch (compression)
            {
                case "":
                    if (records.Length != uncompressedSize)
                    {
                        throw new McapFormatException(file, chunkOffset, $"uncompressed chunk holds {records.Length} bytes but declares {uncompressedSize}");
                    }
                    records.CopyTo(output);
                    return output;
                case McapFormat.CompressionZstd:
                {
                    using var zstd = new Decompressor();
                    written = zstd.Unwrap(records, output);
                    break;
                }
                case McapFormat.CompressionLz4:
                {
                    if (Lz4FrameBlocks.TryDecode(records, output, out written))
                    {
                        break;
                    }
                    var sink = new System.Buffers.ArrayBufferWriter<byte>(output.Length);
                    LZ4Frame.Decode(records, sink);
                    written = sink.WrittenCount;
                    if (written == output.Length)
                    {
                        sink.WrittenSpan.CopyTo(output);
                    }
                    break;
                }
                default:
                    throw new McapFormatException(file, chunkOffset, $"chunk compression '{compression}' is not supported (zstd, lz4 or none)");
            }
        }
        catch (Exception e) when (e is not McapFormatException && e is not OutOfMemoryException)
        {
            throw new McapFormatException(file, chunkOffset, $"{(compression.Length == 0 ? "uncompressed" : compression)} chunk does not decompress: {e.Message}");
        }
        if (written != uncompressedSize)
        {
            throw new McapFormatException(file, chunkOffset, $"{compression} chunk decompresses to {written} bytes but declares {uncompressedSize}");
        }
        return output;
    }
}
