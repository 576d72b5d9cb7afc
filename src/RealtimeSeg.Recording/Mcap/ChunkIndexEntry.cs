namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// A written chunk, kept until the summary is written. Its message index offsets live in the writer's flat list
/// (<see cref="FirstIndexOffset"/>, <see cref="IndexOffsetCount"/>) so that closing a chunk allocates no map.
/// </summary>
internal readonly record struct ChunkIndexEntry(
    long MessageStartTime,
    long MessageEndTime,
    long ChunkStartOffset,
    long ChunkLength,
    int FirstIndexOffset,
    int IndexOffsetCount,
    long MessageIndexLength,
    long CompressedSize,
    long UncompressedSize);
