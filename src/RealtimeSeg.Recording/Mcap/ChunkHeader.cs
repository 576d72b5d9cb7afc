namespace RealtimeSeg.Recording.Mcap;

/// <summary>A Chunk record's fields; <see cref="RecordsStart"/> is where its (compressed) records begin in the content.</summary>
internal readonly record struct ChunkHeader(
    long MessageStartTime,
    long MessageEndTime,
    long UncompressedSize,
    uint UncompressedCrc,
    string Compression,
    int RecordsStart,
    int RecordsLength);
