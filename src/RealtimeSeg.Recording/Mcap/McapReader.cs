using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Reads an MCAP file through its footer and summary: schemas, channels, statistics and chunk indexes without scanning
/// the data, and messages in log-time order, optionally by topic and time range, loading only the chunks that overlap.
/// Verifies the summary CRC on open and each chunk's CRC as it is loaded.
/// </summary>
/// <remarks>
/// A file without a usable footer and summary (a recorder that was killed) opens with <see cref="IsIndexed"/> false and
/// <see cref="NotIndexedReason"/> saying why; read it with <see cref="McapStreamReader"/> or rewrite it with
/// <see cref="McapRecovery"/>. Safe for one thread at a time.
/// </remarks>
public sealed class McapReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly Dictionary<ushort, McapSchema> _schemas = [];
    private readonly Dictionary<ushort, McapChannel> _channels = [];
    private readonly List<McapChunkIndex> _chunkIndexes = [];

    private McapReader(SafeFileHandle file, string path)
    {
        _file = file;
        _path = path;
        Length = RandomAccess.GetLength(file);
    }

    /// <summary>The file's path.</summary>
    public string Path => _path;

    /// <summary>The file's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The Header record.</summary>
    public McapHeader Header { get; private set; } = new(string.Empty, string.Empty);

    /// <summary>Whether the file has a footer and summary (it was closed cleanly).</summary>
    public bool IsIndexed { get; private set; }

    /// <summary>Why the file cannot be read through its index (null when <see cref="IsIndexed"/>).</summary>
    public string? NotIndexedReason { get; private set; }

    /// <summary>Schemas of the summary, by id.</summary>
    public IReadOnlyDictionary<ushort, McapSchema> Schemas => _schemas;

    /// <summary>Channels of the summary, by id.</summary>
    public IReadOnlyDictionary<ushort, McapChannel> Channels => _channels;

    /// <summary>The summary's Statistics record, if it has one.</summary>
    public McapStatistics? Statistics { get; private set; }

    /// <summary>The summary's chunk indexes, in file order.</summary>
    public IReadOnlyList<McapChunkIndex> ChunkIndexes => _chunkIndexes;

    /// <summary>The data section CRC that DataEnd declares (0: not available).</summary>
    public uint DataSectionCrc { get; private set; }

    /// <summary>Where the summary starts (the first byte after DataEnd).</summary>
    public long SummaryStart { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/>: checks the leading magic and Header, then reads the footer and summary if
    /// present (verifying the summary CRC). Throws <see cref="McapFormatException"/> for a file that is not MCAP or whose
    /// summary is corrupt; a file merely cut short opens with <see cref="IsIndexed"/> false.
    /// </summary>
    public static McapReader Open(string path)
    {
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var reader = new McapReader(handle, path);
        try
        {
            reader.ReadHeader();
            reader.ReadSummary();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Messages in log-time order (file order among equal times), through the chunk indexes. Each chunk is read,
    /// checked against its CRC and decompressed when the merge reaches its start time.
    /// </summary>
    /// <param name="topics">Only these topics; null for all.</param>
    /// <param name="startNs">Only messages logged at or after this time.</param>
    /// <param name="endNs">Only messages logged at or before this time.</param>
    public IEnumerable<McapMessage> ReadMessages(IReadOnlyCollection<string>? topics = null, long startNs = 0, long endNs = long.MaxValue)
    {
        if (!IsIndexed)
        {
            throw new InvalidOperationException($"{_path} has no usable summary ({NotIndexedReason}): read it with McapStreamReader or rewrite it with `realtimeseg recording recover`");
        }
        HashSet<ushort>? channels = null;
        if (topics is not null)
        {
            channels = [];
            foreach (McapChannel channel in _channels.Values)
            {
                if (topics.Contains(channel.Topic))
                {
                    channels.Add(channel.Id);
                }
            }
        }
        return Merge(channels, startNs, endNs);
    }

    /// <summary>
    /// Checks the data section CRC (declared by DataEnd) and every chunk's CRC; returns each mismatch with its offset
    /// (empty when all match). Reads the whole file.
    /// </summary>
    public IReadOnlyList<McapProblem> VerifyCrcs()
    {
        if (!IsIndexed)
        {
            throw new InvalidOperationException($"{_path} has no usable summary ({NotIndexedReason}): verify it with McapStreamReader");
        }
        var problems = new List<McapProblem>();
        if (DataSectionCrc != 0)
        {
            long dataEnd = SummaryStart - McapFormat.DataEndRecordLength;
            var buffer = new byte[1024 * 1024];
            uint crc = 0;
            for (long at = 0; at < dataEnd;)
            {
                int n = RandomAccess.Read(_file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, dataEnd - at)), at);
                if (n <= 0)
                {
                    break;
                }
                crc = Crc32.Update(crc, buffer.AsSpan(0, n));
                at += n;
            }
            if (crc != DataSectionCrc)
            {
                problems.Add(new McapProblem(dataEnd, $"data section CRC mismatch: the data section hashes to {crc:X8}, DataEnd says {DataSectionCrc:X8}"));
            }
        }
        foreach (McapChunkIndex index in _chunkIndexes)
        {
            try
            {
                LoadChunk(index);
            }
            catch (McapFormatException e)
            {
                problems.Add(new McapProblem(e.Offset, e.Problem));
            }
        }
        return problems;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>One chunk's messages in the order they are stored (tests count chunk by chunk).</summary>
    internal List<McapMessage> ReadChunk(McapChunkIndex index)
    {
        var messages = new List<McapMessage>();
        byte[] records = LoadChunk(index);
        var cursor = new ChunkRecordCursor(records, _path, index.ChunkStartOffset);
        while (cursor.Next(out McapOpcode opcode, out ReadOnlyMemory<byte> content, out _))
        {
            if (opcode == McapOpcode.Message)
            {
                messages.Add(McapRecordParser.Message(content, _path, index.ChunkStartOffset));
            }
        }
        return messages;
    }

    private IEnumerable<McapMessage> Merge(HashSet<ushort>? channels, long startNs, long endNs)
    {
        var chunks = new List<(McapChunkIndex Index, int Order)>();
        for (int i = 0; i < _chunkIndexes.Count; i++)
        {
            McapChunkIndex index = _chunkIndexes[i];
            if (index.MessageStartTimeNs <= endNs && index.MessageEndTimeNs >= startNs)
            {
                chunks.Add((index, i));
            }
        }
        chunks.Sort(static (a, b) => a.Index.MessageStartTimeNs != b.Index.MessageStartTimeNs
            ? a.Index.MessageStartTimeNs.CompareTo(b.Index.MessageStartTimeNs)
            : a.Order.CompareTo(b.Order));

        // A k-way merge over chunk cursors; a chunk is loaded only once the merge reaches its start time, so at most the
        // chunks that overlap in time are in memory at once.
        var queue = new PriorityQueue<ChunkMessages, (long Time, int Order, int Index)>();
        int next = 0;
        while (true)
        {
            while (next < chunks.Count && (queue.Count == 0 || chunks[next].Index.MessageStartTimeNs <= queue.Peek().Current.LogTimeNs))
            {
                ChunkMessages loaded = ReadChunkMessages(chunks[next].Index, chunks[next].Order, channels, startNs, endNs);
                next++;
                if (loaded.HasCurrent)
                {
                    queue.Enqueue(loaded, loaded.Key);
                }
            }
            if (queue.Count == 0)
            {
                yield break;
            }
            ChunkMessages cursor = queue.Dequeue();
            yield return cursor.Current;
            cursor.MoveNext();
            if (cursor.HasCurrent)
            {
                queue.Enqueue(cursor, cursor.Key);
            }
        }
    }

    private ChunkMessages ReadChunkMessages(McapChunkIndex index, int order, HashSet<ushort>? channels, long startNs, long endNs)
    {
        List<McapMessage> messages = ReadChunk(index);
        messages.RemoveAll(m => (channels is not null && !channels.Contains(m.ChannelId)) || m.LogTimeNs < startNs || m.LogTimeNs > endNs);
        return new ChunkMessages(messages, order);
    }

    /// <summary>
    /// Reads, checks and decompresses one chunk; returns its records in a new array, which the messages cut from it keep
    /// alive (so it cannot be reused). The chunk as stored is only needed while it is decompressed: it is read into a
    /// buffer rented from <see cref="ArrayPool{T}.Shared"/>, which halves what reading a compressed chunk allocates.
    /// </summary>
    private byte[] LoadChunk(McapChunkIndex index)
    {
        if (index.ChunkStartOffset < 0 || index.ChunkLength < McapFormat.RecordPrefixLength || index.ChunkStartOffset + index.ChunkLength > SummaryStart
            || index.ChunkLength > McapFormat.MaxRecordLength)
        {
            throw new McapFormatException(_path, index.ChunkStartOffset, $"chunk index points outside the data section (length {index.ChunkLength})");
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent((int)index.ChunkLength);
        try
        {
            Span<byte> record = rented.AsSpan(0, (int)index.ChunkLength);
            ReadExactly(record, index.ChunkStartOffset);
            if ((McapOpcode)record[0] != McapOpcode.Chunk)
            {
                throw new McapFormatException(_path, index.ChunkStartOffset, $"chunk index points at opcode 0x{record[0]:X2}, not a Chunk record");
            }
            ulong contentLength = BinaryPrimitives.ReadUInt64LittleEndian(record[1..]);
            if (contentLength != (ulong)(record.Length - McapFormat.RecordPrefixLength))
            {
                throw new McapFormatException(_path, index.ChunkStartOffset, $"Chunk record declares {contentLength} content bytes, its index {record.Length - McapFormat.RecordPrefixLength}");
            }
            ReadOnlySpan<byte> content = record[McapFormat.RecordPrefixLength..];
            ChunkHeader chunk = McapRecordParser.Chunk(content, _path, index.ChunkStartOffset + McapFormat.RecordPrefixLength);
            byte[] records = ChunkDecompressor.Decompress(
                chunk.Compression, content.Slice(chunk.RecordsStart, chunk.RecordsLength), chunk.UncompressedSize, _path, index.ChunkStartOffset);
            if (chunk.UncompressedCrc != 0)
            {
                uint actual = Crc32.Compute(records);
                if (actual != chunk.UncompressedCrc)
                {
                    throw new McapFormatException(_path, index.ChunkStartOffset, $"chunk CRC mismatch: its records hash to {actual:X8}, the chunk says {chunk.UncompressedCrc:X8}");
                }
            }
            return records;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void ReadHeader()
    {
        Span<byte> start = stackalloc byte[McapFormat.MagicLength + McapFormat.RecordPrefixLength];
        int got = RandomAccess.Read(_file, start, 0);
        if (got < McapFormat.MagicLength || !McapFormat.IsMagic(start))
        {
            throw new McapFormatException(_path, 0, got < McapFormat.MagicLength && McapFormat.Magic[..got].SequenceEqual(start[..got])
                ? $"the file is {Length} bytes long, shorter than the MCAP magic"
                : $"not an MCAP file: it starts with {Convert.ToHexString(start[..Math.Min(got, McapFormat.MagicLength)])}, not the MCAP magic 894D434150300D0A");
        }
        if (got < start.Length || (McapOpcode)start[McapFormat.MagicLength] != McapOpcode.Header)
        {
            throw new McapFormatException(_path, McapFormat.MagicLength, got < start.Length
                ? "the file ends inside the Header record"
                : $"expected the Header record after the magic, found opcode 0x{start[McapFormat.MagicLength]:X2}");
        }
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(start[(McapFormat.MagicLength + 1)..]);
        long contentOffset = McapFormat.MagicLength + McapFormat.RecordPrefixLength;
        if (length > (ulong)(Length - contentOffset))
        {
            throw new McapFormatException(_path, McapFormat.MagicLength, $"the file ends inside the Header record (it declares {length} bytes)");
        }
        var content = new byte[length];
        ReadExactly(content, contentOffset);
        Header = McapRecordParser.Header(content, _path, contentOffset);
    }

    private void ReadSummary()
    {
        long footerStart = Length - McapFormat.FooterAndMagicLength;
        if (footerStart < McapFormat.MagicLength + McapFormat.RecordPrefixLength)
        {
            NotIndexedReason = "the file is too short to hold a footer";
            return;
        }
        var tail = new byte[McapFormat.FooterAndMagicLength];
        ReadExactly(tail, footerStart);
        if (!McapFormat.IsMagic(tail.AsSpan(tail.Length - McapFormat.MagicLength)))
        {
            NotIndexedReason = "no trailing magic: the file was not closed (a crash or a copy cut short)";
            return;
        }
        if ((McapOpcode)tail[0] != McapOpcode.Footer || BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(1)) != McapFormat.FooterContentLength)
        {
            throw new McapFormatException(_path, footerStart, "the trailing magic is not preceded by a Footer record");
        }
        McapFooter footer = McapRecordParser.Footer(tail.AsSpan(McapFormat.RecordPrefixLength, McapFormat.FooterContentLength), _path, footerStart + McapFormat.RecordPrefixLength);
        if (footer.SummaryStart == 0)
        {
            NotIndexedReason = "the footer says the file has no summary";
            return;
        }
        long dataEnd = footer.SummaryStart - McapFormat.DataEndRecordLength;
        if (dataEnd < McapFormat.MagicLength || footer.SummaryStart > footerStart)
        {
            throw new McapFormatException(_path, footerStart, $"the footer's summary_start {footer.SummaryStart} lies outside the file's data");
        }
        var summary = new byte[footerStart - dataEnd];
        ReadExactly(summary, dataEnd);
        if (footer.SummaryCrc != 0)
        {
            uint crc = Crc32.Update(Crc32.Compute(summary.AsSpan(McapFormat.DataEndRecordLength)), tail.AsSpan(0, McapFormat.RecordPrefixLength + 16));
            if (crc != footer.SummaryCrc)
            {
                throw new McapFormatException(_path, footer.SummaryStart, $"summary CRC mismatch: the summary hashes to {crc:X8}, the footer says {footer.SummaryCrc:X8}");
            }
        }
        if ((McapOpcode)summary[0] != McapOpcode.DataEnd)
        {
            throw new McapFormatException(_path, dataEnd, $"expected the DataEnd record before the summary, found opcode 0x{summary[0]:X2}");
        }
        ParseSummary(summary, dataEnd);
        SummaryStart = footer.SummaryStart;
        IsIndexed = true;
    }

    private void ParseSummary(byte[] summary, long summaryOffset)
    {
        int position = 0;
        while (position < summary.Length)
        {
            long recordStart = summaryOffset + position;
            if (summary.Length - position < McapFormat.RecordPrefixLength)
            {
                throw new McapFormatException(_path, recordStart, "the summary ends inside a record header");
            }
            var opcode = (McapOpcode)summary[position];
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(summary.AsSpan(position + 1));
            if (length > (ulong)(summary.Length - position - McapFormat.RecordPrefixLength))
            {
                throw new McapFormatException(_path, recordStart, $"summary record (opcode 0x{(byte)opcode:X2}) declares {length} bytes, past the footer");
            }
            ReadOnlySpan<byte> content = summary.AsSpan(position + McapFormat.RecordPrefixLength, (int)length);
            long contentOffset = recordStart + McapFormat.RecordPrefixLength;
            switch (opcode)
            {
                case McapOpcode.DataEnd:
                    DataSectionCrc = McapRecordParser.DataEnd(content, _path, contentOffset);
                    break;
                case McapOpcode.Schema:
                    McapSchema schema = McapRecordParser.Schema(content, _path, contentOffset);
                    _schemas[schema.Id] = schema;
                    break;
                case McapOpcode.Channel:
                    McapChannel channel = McapRecordParser.Channel(content, _path, contentOffset);
                    _channels[channel.Id] = channel;
                    break;
                case McapOpcode.Statistics:
                    Statistics = McapRecordParser.Statistics(content, _path, contentOffset);
                    break;
                case McapOpcode.ChunkIndex:
                    _chunkIndexes.Add(McapRecordParser.ChunkIndex(content, _path, contentOffset));
                    break;
                case McapOpcode.Header or McapOpcode.Footer or McapOpcode.Message or McapOpcode.Chunk or McapOpcode.MessageIndex
                    or McapOpcode.Attachment or McapOpcode.Metadata:
                    throw new McapFormatException(_path, recordStart, $"{opcode} record is not allowed in the summary");
                default:
                    break; // attachment/metadata indexes, summary offsets and unknown records
            }
            position += McapFormat.RecordPrefixLength + (int)length;
        }
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_file, buffer[total..], offset + total);
            if (n <= 0)
            {
                throw new McapFormatException(_path, offset + total, $"the file ends {buffer.Length - total} bytes short of a record the index points to");
            }
            total += n;
        }
    }
}
