namespace RealtimeSeg.Recording.Info;

/// <summary>One channel of a recording.</summary>
/// <param name="Id">Channel id in the file.</param>
/// <param name="Topic">e.g. <c>/realtimeseg/cam0/panoptic</c>.</param>
/// <param name="MessageEncoding">e.g. <c>msgpack</c>, <c>protobuf</c>.</param>
/// <param name="SchemaName">e.g. <c>foxglove.CompressedImage</c>; empty when the channel has no schema.</param>
/// <param name="SchemaEncoding">e.g. <c>protobuf</c>; empty when the channel has no schema.</param>
/// <param name="Metadata">The channel's metadata.</param>
/// <param name="MessageCount">Messages on the channel.</param>
/// <param name="FirstLogTimeNs">Log time of its first message (0 if none).</param>
/// <param name="LastLogTimeNs">Log time of its last message (0 if none).</param>
/// <param name="MedianSpacingNs">Median time between consecutive messages (0 with fewer than two).</param>
/// <param name="Gaps">Spacings above the gap threshold, in time order.</param>
public sealed record RecordingChannelInfo(
    ushort Id,
    string Topic,
    string MessageEncoding,
    string SchemaName,
    string SchemaEncoding,
    IReadOnlyDictionary<string, string> Metadata,
    long MessageCount,
    long FirstLogTimeNs,
    long LastLogTimeNs,
    long MedianSpacingNs,
    IReadOnlyList<RecordingGap> Gaps);
