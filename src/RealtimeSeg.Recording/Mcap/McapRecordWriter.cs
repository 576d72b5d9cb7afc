namespace RealtimeSeg.Recording.Mcap;

/// <summary>Serializes the MCAP records whose layout the writer needs in more than one place (chunks and summary).</summary>
internal static class McapRecordWriter
{
    public static int Schema(ByteBuffer buffer, McapSchema schema)
    {
        int at = buffer.BeginRecord(McapOpcode.Schema);
        buffer.U16(schema.Id);
        buffer.String(schema.Name);
        buffer.String(schema.Encoding);
        buffer.U32((uint)schema.Data.Length);
        buffer.Bytes(schema.Data.Span);
        return buffer.EndRecord(at);
    }

    public static int Channel(ByteBuffer buffer, McapChannel channel)
    {
        int at = buffer.BeginRecord(McapOpcode.Channel);
        buffer.U16(channel.Id);
        buffer.U16(channel.SchemaId);
        buffer.String(channel.Topic);
        buffer.String(channel.MessageEncoding);
        int mapAt = buffer.Length;
        buffer.U32(0);
        foreach (KeyValuePair<string, string> pair in channel.Metadata)
        {
            buffer.String(pair.Key);
            buffer.String(pair.Value);
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.At(mapAt, 4), (uint)(buffer.Length - mapAt - 4));
        return buffer.EndRecord(at);
    }

    public static void Message(ByteBuffer buffer, ushort channelId, uint sequence, long logTimeNs, long publishTimeNs, ReadOnlySpan<byte> payload)
    {
        buffer.EnsureCapacity(buffer.Length + McapFormat.RecordPrefixLength + McapFormat.MessageHeaderLength + payload.Length);
        buffer.U8((byte)McapOpcode.Message);
        buffer.U64((ulong)(McapFormat.MessageHeaderLength + payload.Length));
        buffer.U16(channelId);
        buffer.U32(sequence);
        buffer.U64((ulong)logTimeNs);
        buffer.U64((ulong)publishTimeNs);
        buffer.Bytes(payload);
    }
}
