namespace RealtimeSeg.Recording.Mcap;

/// <summary>The Statistics record of a file's summary.</summary>
public sealed record McapStatistics(
    long MessageCount,
    int SchemaCount,
    long ChannelCount,
    long AttachmentCount,
    long MetadataCount,
    long ChunkCount,
    long MessageStartTimeNs,
    long MessageEndTimeNs,
    IReadOnlyDictionary<ushort, long> ChannelMessageCounts);
