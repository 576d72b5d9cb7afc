namespace RealtimeSeg.Recording.Mcap;

/// <summary>A Schema record: how a channel's messages are described (e.g. a protobuf FileDescriptorSet).</summary>
/// <param name="Id">Unique in the file, never 0.</param>
/// <param name="Name">e.g. <c>foxglove.CompressedImage</c>.</param>
/// <param name="Encoding">Schema encoding: <c>protobuf</c>, <c>jsonschema</c>, or a custom <c>x-</c> value.</param>
/// <param name="Data">The schema itself, in <paramref name="Encoding"/>.</param>
public sealed record McapSchema(ushort Id, string Name, string Encoding, ReadOnlyMemory<byte> Data);
