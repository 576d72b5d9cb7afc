namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// A Message record as read. <see cref="Data"/> is a slice of the decompressed chunk it came from; readers give each
/// chunk its own buffer, so the slice stays valid for as long as the caller keeps it.
/// </summary>
/// <param name="ChannelId">The channel it was written on.</param>
/// <param name="Sequence">The publisher's (or recorder's) counter.</param>
/// <param name="LogTimeNs">When it was recorded, ns since the writer's epoch (Unix time for RealtimeSeg).</param>
/// <param name="PublishTimeNs">When it was published; the log time if unknown.</param>
/// <param name="Data">The payload.</param>
public readonly record struct McapMessage(ushort ChannelId, uint Sequence, long LogTimeNs, long PublishTimeNs, ReadOnlyMemory<byte> Data);
