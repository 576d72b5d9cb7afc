using System.Buffers.Binary;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Compresses chunk records into a buffer it keeps, so that closing a chunk allocates nothing once the buffer has
/// grown to the largest chunk. zstd through one reused ZstdSharp context; lz4 as an LZ4 frame (what MCAP's "lz4"
/// means) assembled here around K4os block compression, because K4os' own frame encoder allocates per call.
/// </summary>
internal sealed class ChunkCompressor : IDisposable
{
    // LZ4 frame: magic, FLG = version 01 + independent blocks (no block/content checksum, no content size),
    // BD = 4 MiB maximum block size, HC = (xxh32(FLG, BD) >> 8) & 0xFF, which for these two fixed bytes is 0x73.
    private static ReadOnlySpan<byte> Lz4FrameHeader => [0x04, 0x22, 0x4D, 0x18, 0x60, 0x70, 0x73];

    private const int Lz4MaxBlock = 4 * 1024 * 1024;

    private readonly McapCompression _compression;
    private readonly Compressor? _zstd;
    private readonly ByteBuffer _output = new(64 * 1024);

    public ChunkCompressor(McapCompression compression, int zstdLevel)
    {
        _compression = compression;
        if (compression == McapCompression.Zstd)
        {
            _zstd = new Compressor(zstdLevel);
        }
    }

    /// <summary>The value of the Chunk record's compression field.</summary>
    public string Name => _compression switch
    {
        McapCompression.Zstd => McapFormat.CompressionZstd,
        McapCompression.Lz4 => McapFormat.CompressionLz4,
        _ => string.Empty,
    };

    /// <summary>Compresses <paramref name="records"/>; the result is valid until the next call.</summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> records)
    {
        switch (_compression)
        {
            case McapCompression.Zstd:
            {
                _output.Clear();
                int written = _zstd!.Wrap(records, _output.FreeSpan(Compressor.GetCompressBound(records.Length)));
                _output.Advance(written);
                return _output.WrittenSpan;
            }
            case McapCompression.Lz4:
                return CompressLz4(records);
            default:
                return records;
        }
    }

    private ReadOnlySpan<byte> CompressLz4(ReadOnlySpan<byte> records)
    {
        _output.Clear();
        _output.Bytes(Lz4FrameHeader);
        for (int start = 0; start < records.Length; start += Lz4MaxBlock)
        {
            ReadOnlySpan<byte> block = records.Slice(start, Math.Min(Lz4MaxBlock, records.Length - start));
            int sizeAt = _output.Length;
            _output.U32(0);
            int written = LZ4Codec.Encode(block, _output.FreeSpan(LZ4Codec.MaximumOutputSize(block.Length)));
            if (written <= 0 || written >= block.Length)
            {
                // Incompressible: the frame format stores the block as is, flagged by the size's high bit.
                block.CopyTo(_output.FreeSpan(block.Length));
                _output.Advance(block.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(_output.At(sizeAt, 4), (uint)block.Length | 0x8000_0000u);
            }
            else
            {
                _output.Advance(written);
                BinaryPrimitives.WriteUInt32LittleEndian(_output.At(sizeAt, 4), (uint)written);
            }
        }
        _output.U32(0); // end mark
        return _output.WrittenSpan;
    }

    public void Dispose() => _zstd?.Dispose();
}
