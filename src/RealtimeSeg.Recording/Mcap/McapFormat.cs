namespace RealtimeSeg.Recording.Mcap;

/// <summary>Fixed sizes and constants of the MCAP v0 layout.</summary>
internal static class McapFormat
{
    /// <summary>0x89 'M' 'C' 'A' 'P' '0' '\r' '\n': leading and trailing magic; '0' is the major version.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, 0x4D, 0x43, 0x41, 0x50, 0x30, 0x0D, 0x0A];

    public const int MagicLength = 8;

    /// <summary>Opcode (1) + content length (uint64).</summary>
    public const int RecordPrefixLength = 9;

    /// <summary>Footer content: summary_start (8) + summary_offset_start (8) + summary_crc (4).</summary>
    public const int FooterContentLength = 20;

    /// <summary>Footer record with its prefix, then the trailing magic: what an indexed reader reads from the end.</summary>
    public const int FooterAndMagicLength = RecordPrefixLength + FooterContentLength + MagicLength;

    /// <summary>DataEnd record: prefix + data_section_crc (4).</summary>
    public const int DataEndRecordLength = RecordPrefixLength + 4;

    /// <summary>Message record content before the payload: channel_id (2), sequence (4), log_time (8), publish_time (8).</summary>
    public const int MessageHeaderLength = 22;

    /// <summary>Chunk record content before the compression name: start (8), end (8), uncompressed_size (8), uncompressed_crc (4).</summary>
    public const int ChunkFixedLength = 28;

    public const string CompressionZstd = "zstd";
    public const string CompressionLz4 = "lz4";

    /// <summary>Records are read whole into memory; anything larger than this is treated as corruption, not allocated.</summary>
    public const long MaxRecordLength = int.MaxValue - 64;

    public static bool IsMagic(ReadOnlySpan<byte> bytes) => bytes.Length >= MagicLength && bytes[..MagicLength].SequenceEqual(Magic);
}
