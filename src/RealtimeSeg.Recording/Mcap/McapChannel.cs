namespace RealtimeSeg.Recording.Mcap;

/// <summary>A Channel record: a topic whose messages share an encoding and schema.</summary>
/// <param name="Id">Unique in the file.</param>
/// <param name="SchemaId">The channel's schema, or 0 for none.</param>
/// <param name="Topic">e.g. <c>/realtimeseg/cam0/panoptic</c>.</param>
/// <param name="MessageEncoding">e.g. <c>protobuf</c>, <c>json</c>, <c>msgpack</c>.</param>
/// <param name="Metadata">Free key/value pairs recorded with the channel.</param>
public sealed record McapChannel(ushort Id, ushort SchemaId, string Topic, string MessageEncoding, IReadOnlyDictionary<string, string> Metadata);
