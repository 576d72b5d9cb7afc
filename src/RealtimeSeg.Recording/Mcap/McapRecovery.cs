namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Rewrites an MCAP file that a crash cut short (no summary, maybe a torn last chunk, maybe a corrupt chunk) into a
/// valid, indexed file holding every complete message.
/// </summary>
public static class McapRecovery
{
    /// <summary>
    /// Streams <paramref name="inputPath"/> tolerantly (corrupt chunks are skipped and reported, reading stops at the
    /// first incomplete record) and writes what it read to <paramref name="outputPath"/> with a fresh summary. Schemas
    /// and channels keep their names, encodings and metadata; ids are renumbered in order of appearance.
    /// </summary>
    /// <param name="inputPath">The damaged file; only read.</param>
    /// <param name="outputPath">The new file (created or overwritten); must differ from the input.</param>
    /// <param name="options">Compression and chunk size of the output; chunks close by size only.</param>
    public static McapRecoveryReport Recover(string inputPath, string outputPath, McapWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (string.Equals(Path.GetFullPath(inputPath), Path.GetFullPath(outputPath), StringComparison.Ordinal))
        {
            throw new ArgumentException($"recover writes a new file: the output must not be the input ({inputPath})", nameof(outputPath));
        }
        // Recovery replays at disk speed: the wall-clock chunk duration means nothing here.
        McapWriterOptions writerOptions = (options ?? new McapWriterOptions()) with { ChunkDuration = Timeout.InfiniteTimeSpan };

        using var reader = McapStreamReader.Open(inputPath, skipCorruptChunks: true);
        var schemaIds = new Dictionary<ushort, ushort>();
        var channelIds = new Dictionary<ushort, ushort>();
        var byTopic = new Dictionary<string, long>(StringComparer.Ordinal);
        long kept = 0, start = 0, end = 0;
        string tempPath = outputPath + ".partial";
        try
        {
            using var writer = McapWriter.Create(tempPath, writerOptions);
            foreach (McapMessage message in reader.ReadMessages())
            {
                if (!channelIds.TryGetValue(message.ChannelId, out ushort channelId))
                {
                    McapChannel channel = reader.Channels[message.ChannelId];
                    channelId = writer.AddChannel(MapSchema(writer, reader, channel.SchemaId, schemaIds), channel.Topic, channel.MessageEncoding, channel.Metadata);
                    channelIds[message.ChannelId] = channelId;
                    byTopic.TryAdd(channel.Topic, 0);
                }
                writer.Write(channelId, message.Sequence, message.LogTimeNs, message.PublishTimeNs, message.Data.Span);
                byTopic[reader.Channels[message.ChannelId].Topic]++;
                start = kept == 0 ? message.LogTimeNs : Math.Min(start, message.LogTimeNs);
                end = kept == 0 ? message.LogTimeNs : Math.Max(end, message.LogTimeNs);
                kept++;
            }
        }
        catch
        {
            // Input that is not MCAP at all (or an unreadable output) leaves no half-written file behind.
            File.Delete(tempPath);
            throw;
        }
        File.Move(tempPath, outputPath, overwrite: true);

        long inputLength = new FileInfo(inputPath).Length;
        return new McapRecoveryReport(
            reader.Status == McapStreamStatus.Complete, kept, reader.ChunkCount, byTopic, reader.CompleteUpTo,
            inputLength - reader.CompleteUpTo, reader.StopReason, reader.Problems, start, end);
    }

    private static ushort MapSchema(McapWriter writer, McapStreamReader reader, ushort schemaId, Dictionary<ushort, ushort> schemaIds)
    {
        if (schemaId == 0)
        {
            return 0;
        }
        if (!schemaIds.TryGetValue(schemaId, out ushort mapped))
        {
            if (!reader.Schemas.TryGetValue(schemaId, out McapSchema? schema))
            {
                return 0; // a channel whose schema record was lost with a corrupt chunk: keep its messages, schemaless
            }
            mapped = writer.AddSchema(schema.Name, schema.Encoding, schema.Data.Span);
            schemaIds[schemaId] = mapped;
        }
        return mapped;
    }
}
