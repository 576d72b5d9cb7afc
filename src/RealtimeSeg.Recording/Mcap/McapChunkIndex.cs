namespace RealtimeSeg.Recording.Mcap;

/// <summary>A Chunk Index record: where a chunk and its message indexes are, and what it holds.</summary>
public sealed record McapChunkIndex(
    long MessageStartTimeNs,
    long MessageEndTimeNs,
    long ChunkStartOffset,
    long ChunkLength,
    IReadOnlyDictionary<ushort, long> MessageIndexOffsets,
    long MessageIndexLength,
    string Compression,
    long CompressedSize,
    long UncompressedSize);
