namespace RealtimeSeg.Recording.Mcap;

/// <summary>Parses record contents field by field, in the order and widths of mcap.dev/spec.</summary>
internal static class McapRecordParser
{
    public static McapHeader Header(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "Header");
        return new McapHeader(r.String("profile"), r.String("library"));
    }

    public static McapFooter Footer(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "Footer");
        return new McapFooter(r.I64("summary_start"), r.I64("summary_offset_start"), r.U32());
    }

    public static uint DataEnd(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "DataEnd");
        return r.U32();
    }

    public static McapSchema Schema(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "Schema");
        ushort id = r.U16();
        string name = r.String("name");
        string encoding = r.String("encoding");
        byte[] data = r.Bytes32("data").ToArray();
        return new McapSchema(id, name, encoding, data);
    }

    public static McapChannel Channel(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "Channel");
        ushort id = r.U16();
        ushort schemaId = r.U16();
        string topic = r.String("topic");
        string encoding = r.String("message_encoding");
        int end = r.BeginSized("metadata");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Position < end)
        {
            string key = r.String("metadata key");
            metadata[key] = r.String("metadata value");
        }
        if (r.Position != end)
        {
            throw r.Error(end, "Channel metadata map's last entry runs past its declared length");
        }
        return new McapChannel(id, schemaId, topic, encoding, metadata);
    }

    /// <summary>A Message record; its payload is a slice of <paramref name="content"/>'s array.</summary>
    public static McapMessage Message(ReadOnlyMemory<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content.Span, file, contentOffset, "Message");
        ushort channel = r.U16();
        uint sequence = r.U32();
        long logTime = r.I64("log_time");
        long publishTime = r.I64("publish_time");
        return new McapMessage(channel, sequence, logTime, publishTime, content[r.Position..]);
    }

    public static ChunkHeader Chunk(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "Chunk");
        long start = r.I64("message_start_time");
        long end = r.I64("message_end_time");
        long uncompressedSize = r.I64("uncompressed_size");
        uint crc = r.U32();
        string compression = r.String("compression");
        int recordsLengthAt = r.Position;
        int recordsLength = r.Bytes64("records").Length;
        return new ChunkHeader(start, end, uncompressedSize, crc, compression, recordsLengthAt + 8, recordsLength);
    }

    public static McapStatistics Statistics(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "Statistics");
        long messageCount = r.I64("message_count");
        ushort schemaCount = r.U16();
        uint channelCount = r.U32();
        uint attachmentCount = r.U32();
        uint metadataCount = r.U32();
        uint chunkCount = r.U32();
        long start = r.I64("message_start_time");
        long end = r.I64("message_end_time");
        Dictionary<ushort, long> counts = ChannelMap(ref r, "channel_message_counts");
        return new McapStatistics(messageCount, schemaCount, channelCount, attachmentCount, metadataCount, chunkCount, start, end, counts);
    }

    public static McapChunkIndex ChunkIndex(ReadOnlySpan<byte> content, string file, long contentOffset)
    {
        var r = new FieldReader(content, file, contentOffset, "ChunkIndex");
        long start = r.I64("message_start_time");
        long end = r.I64("message_end_time");
        long chunkStart = r.I64("chunk_start_offset");
        long chunkLength = r.I64("chunk_length");
        Dictionary<ushort, long> offsets = ChannelMap(ref r, "message_index_offsets");
        long indexLength = r.I64("message_index_length");
        string compression = r.String("compression");
        long compressedSize = r.I64("compressed_size");
        long uncompressedSize = r.I64("uncompressed_size");
        return new McapChunkIndex(start, end, chunkStart, chunkLength, offsets, indexLength, compression, compressedSize, uncompressedSize);
    }

    /// <summary>A Map&lt;uint16, uint64&gt; keyed by channel id.</summary>
    private static Dictionary<ushort, long> ChannelMap(ref FieldReader r, string field)
    {
        int end = r.BeginSized(field);
        var map = new Dictionary<ushort, long>();
        while (r.Position < end)
        {
            ushort channel = r.U16();
            map[channel] = r.I64(field);
        }
        return map;
    }
}
