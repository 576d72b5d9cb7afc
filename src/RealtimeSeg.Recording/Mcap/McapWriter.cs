using System.Buffers.Binary;
using System.Diagnostics;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Writes an MCAP v0 file: Header, chunked Schema/Channel/Message records with a Message Index per channel after each
/// chunk, then at <see cref="Close"/> DataEnd (data section CRC), the summary (schemas, channels, statistics with
/// per-channel counts, chunk indexes), summary offsets, Footer (summary CRC) and the closing magic.
/// </summary>
/// <remarks>
/// <para>Crash safety: a chunk is closed when it reaches <see cref="McapWriterOptions.ChunkSizeBytes"/> or has been
/// open for <see cref="McapWriterOptions.ChunkDuration"/>; closing writes it and its indexes and flushes the stream to
/// the OS, so after <c>kill -9</c> the file holds every message of every closed chunk and
/// <see cref="McapRecovery"/> can rebuild the summary. A writer whose messages stop arriving should call
/// <see cref="FlushIfDue"/> from its idle path so that the last messages do not wait for the next one.</para>
/// <para>Allocation: <see cref="Write"/> allocates nothing once its buffers have grown to the largest chunk (records,
/// compression and message indexes go into buffers the writer keeps).</para>
/// <para>Threading: one thread at a time; the writer takes no locks.</para>
/// </remarks>
public sealed class McapWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly McapWriterOptions _options;
    private readonly TimeProvider _clock;
    private readonly ChunkCompressor _compressor;
    private readonly ByteBuffer _chunk;
    private readonly ByteBuffer _records = new(64 * 1024);
    private readonly List<McapSchema> _schemas = [];
    private readonly List<ChannelState> _channels = [];
    private readonly List<ChannelState> _channelsInChunk = [];
    private readonly List<ChunkIndexEntry> _chunkIndexes = [];
    private readonly List<(ushort Channel, long Offset)> _messageIndexOffsets = [];
    private readonly HashSet<ushort> _schemasWritten = [];
    private long _position;
    private uint _dataCrc;
    private bool _inSummary;
    private bool _closed;

    private long _chunkStartTime;
    private long _chunkEndTime;
    private long _chunkOpenedAt;
    private int _chunkMessages;

    private long _messageCount;
    private long _messageStartTime;
    private long _messageEndTime;

    /// <summary>Starts a file on <paramref name="stream"/>: writes the magic and Header and flushes them.</summary>
    /// <param name="stream">Written sequentially; it need not be seekable.</param>
    /// <param name="options">Chunking, compression and labels; defaults when null.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="stream"/> open.</param>
    public McapWriter(Stream stream, McapWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _options = options ?? new McapWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ChunkSizeBytes, 1024, nameof(options));
        if (_options.ChunkDuration <= TimeSpan.Zero && _options.ChunkDuration != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.ChunkDuration, "ChunkDuration must be positive or Timeout.InfiniteTimeSpan");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ZstdLevel, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.ZstdLevel, 22, nameof(options));
        _stream = stream;
        _ownsStream = !leaveOpen;
        _clock = _options.TimeProvider;
        _compressor = new ChunkCompressor(_options.Compression, _options.ZstdLevel);
        _chunk = new ByteBuffer(_options.ChunkSizeBytes + (64 * 1024));

        _records.Bytes(McapFormat.Magic);
        int at = _records.BeginRecord(McapOpcode.Header);
        _records.String(_options.Profile);
        _records.String(_options.Library);
        _records.EndRecord(at);
        Emit(_records.WrittenSpan);
        _records.Clear();
        _stream.Flush();
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> and starts a file in it.</summary>
    public static McapWriter Create(string path, McapWriterOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        try
        {
            return new McapWriter(stream, options);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Messages written so far.</summary>
    public long MessageCount => _messageCount;

    /// <summary>Chunks written to the stream so far.</summary>
    public int ChunkCount => _chunkIndexes.Count;

    /// <summary>Bytes handed to the stream so far (the open chunk is not among them).</summary>
    public long BytesWritten => _position;

    /// <summary>
    /// Registers a schema; it is written before the first message of a channel that uses it. Adding a schema identical
    /// to one already added (name, encoding and data) returns the existing id.
    /// </summary>
    /// <returns>The schema id (from 1) to pass to <see cref="AddChannel"/>.</returns>
    public ushort AddSchema(string name, string encoding, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(encoding);
        ThrowIfClosed();
        foreach (McapSchema existing in _schemas)
        {
            if (existing.Name == name && existing.Encoding == encoding && existing.Data.Span.SequenceEqual(data))
            {
                return existing.Id;
            }
        }
        if (_schemas.Count == ushort.MaxValue - 1)
        {
            throw new InvalidOperationException("an MCAP file holds at most 65534 schemas");
        }
        var schema = new McapSchema((ushort)(_schemas.Count + 1), name, encoding, data.ToArray());
        _schemas.Add(schema);
        return schema.Id;
    }

    /// <summary>Registers a channel; it is written before its first message.</summary>
    /// <param name="schemaId">An id from <see cref="AddSchema"/>, or 0 for a channel without schema.</param>
    /// <param name="topic">e.g. <c>/realtimeseg/cam0/panoptic</c>.</param>
    /// <param name="messageEncoding">e.g. <c>protobuf</c>, <c>msgpack</c>.</param>
    /// <param name="metadata">Recorded with the channel; null for none.</param>
    /// <returns>The channel id (from 1) to pass to <see cref="Write"/>.</returns>
    public ushort AddChannel(ushort schemaId, string topic, string messageEncoding, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(messageEncoding);
        ThrowIfClosed();
        if (schemaId > _schemas.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(schemaId), schemaId, $"no schema {schemaId}: add it with AddSchema first");
        }
        if (_channels.Count == ushort.MaxValue - 1)
        {
            throw new InvalidOperationException("an MCAP file holds at most 65534 channels");
        }
        var copy = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var channel = new McapChannel((ushort)(_channels.Count + 1), schemaId, topic, messageEncoding, copy);
        _channels.Add(new ChannelState(channel));
        return channel.Id;
    }

    /// <summary>
    /// Appends a message to the open chunk; closes the chunk when it is full or has been open for the chunk duration.
    /// Allocates nothing in steady state.
    /// </summary>
    /// <param name="channelId">From <see cref="AddChannel"/>.</param>
    /// <param name="sequence">The publisher's counter (or the recorder's).</param>
    /// <param name="logTimeNs">When the message was recorded, ns since the Unix epoch; must not be negative.</param>
    /// <param name="publishTimeNs">When it was published; pass the log time if unknown.</param>
    /// <param name="payload">The message bytes, copied before returning.</param>
    public void Write(ushort channelId, uint sequence, long logTimeNs, long publishTimeNs, ReadOnlySpan<byte> payload)
    {
        ThrowIfClosed();
        if (channelId == 0 || channelId > _channels.Count)
        {
            ThrowUnknownChannel(channelId);
        }
        if (logTimeNs < 0 || publishTimeNs < 0)
        {
            ThrowNegativeTime(logTimeNs, publishTimeNs);
        }
        ChannelState state = _channels[channelId - 1];
        if (!state.WrittenToFile)
        {
            WriteChannelRecords(state);
        }
        if (_chunkMessages == 0)
        {
            _chunkOpenedAt = _clock.GetTimestamp();
            _chunkStartTime = logTimeNs;
            _chunkEndTime = logTimeNs;
        }
        else
        {
            _chunkStartTime = Math.Min(_chunkStartTime, logTimeNs);
            _chunkEndTime = Math.Max(_chunkEndTime, logTimeNs);
        }
        if (state.IndexCount == 0)
        {
            _channelsInChunk.Add(state);
        }
        state.AddIndexEntry(logTimeNs, _chunk.Length);
        McapRecordWriter.Message(_chunk, channelId, sequence, logTimeNs, publishTimeNs, payload);
        _chunkMessages++;
        state.MessageCount++;
        _messageStartTime = _messageCount == 0 ? logTimeNs : Math.Min(_messageStartTime, logTimeNs);
        _messageEndTime = _messageCount == 0 ? logTimeNs : Math.Max(_messageEndTime, logTimeNs);
        _messageCount++;

        if (_chunk.Length >= _options.ChunkSizeBytes || ChunkIsDue())
        {
            CloseChunk();
        }
    }

    /// <summary>
    /// Closes the open chunk if it has been open for the chunk duration. Call it from an idle recorder (e.g. when its
    /// queue wait times out) so that a stalled source still gets its last messages onto disk.
    /// </summary>
    /// <returns>Whether a chunk was written.</returns>
    public bool FlushIfDue()
    {
        ThrowIfClosed();
        if (_chunkMessages == 0 || !ChunkIsDue())
        {
            return false;
        }
        CloseChunk();
        return true;
    }

    /// <summary>Closes the open chunk now (if it holds messages) and flushes the stream to the OS.</summary>
    public void Flush()
    {
        ThrowIfClosed();
        if (_chunkMessages > 0)
        {
            CloseChunk();
        }
        else
        {
            _stream.Flush();
        }
    }

    /// <summary>Writes the open chunk, DataEnd, the summary, summary offsets, Footer and closing magic. Idempotent.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }
        if (_chunkMessages > 0)
        {
            CloseChunk();
        }
        _closed = true;

        int at = _records.BeginRecord(McapOpcode.DataEnd);
        _records.U32(_dataCrc);
        _records.EndRecord(at);
        Emit(_records.WrittenSpan);
        _records.Clear();

        _inSummary = true;
        uint summaryCrc = 0;
        long summaryStart = _position;
        Span<(McapOpcode Opcode, long Start, long Length)> groups = stackalloc (McapOpcode, long, long)[4];
        int groupCount = 0;

        long groupStart = _position;
        foreach (McapSchema schema in _schemas)
        {
            McapRecordWriter.Schema(_records, schema);
        }
        summaryCrc = EmitSummary(summaryCrc);
        groups[groupCount++] = (McapOpcode.Schema, groupStart, _position - groupStart);

        groupStart = _position;
        foreach (ChannelState channel in _channels)
        {
            McapRecordWriter.Channel(_records, channel.Channel);
        }
        summaryCrc = EmitSummary(summaryCrc);
        groups[groupCount++] = (McapOpcode.Channel, groupStart, _position - groupStart);

        groupStart = _position;
        WriteStatistics();
        summaryCrc = EmitSummary(summaryCrc);
        groups[groupCount++] = (McapOpcode.Statistics, groupStart, _position - groupStart);

        groupStart = _position;
        foreach (ChunkIndexEntry chunk in _chunkIndexes)
        {
            WriteChunkIndex(chunk);
        }
        summaryCrc = EmitSummary(summaryCrc);
        groups[groupCount++] = (McapOpcode.ChunkIndex, groupStart, _position - groupStart);

        long summaryOffsetStart = _position;
        for (int g = 0; g < groupCount; g++)
        {
            if (groups[g].Length == 0)
            {
                continue;
            }
            int so = _records.BeginRecord(McapOpcode.SummaryOffset);
            _records.U8((byte)groups[g].Opcode);
            _records.U64((ulong)groups[g].Start);
            _records.U64((ulong)groups[g].Length);
            _records.EndRecord(so);
        }

        // The summary CRC runs from the first summary record through the footer's summary_offset_start field.
        _records.U8((byte)McapOpcode.Footer);
        _records.U64(McapFormat.FooterContentLength);
        _records.U64((ulong)(summaryOffsetStart > summaryStart ? summaryStart : 0));
        _records.U64((ulong)summaryOffsetStart);
        summaryCrc = Crc32.Update(summaryCrc, _records.WrittenSpan);
        _records.U32(summaryCrc);
        _records.Bytes(McapFormat.Magic);
        Emit(_records.WrittenSpan);
        _records.Clear();
        _stream.Flush();
    }

    /// <summary>Closes the file (see <see cref="Close"/>) and disposes the stream unless it was left open.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        finally
        {
            _compressor.Dispose();
            if (_ownsStream)
            {
                _stream.Dispose();
            }
        }
    }

    private bool ChunkIsDue() =>
        _options.ChunkDuration != Timeout.InfiniteTimeSpan && _clock.GetElapsedTime(_chunkOpenedAt) >= _options.ChunkDuration;

    private void WriteChannelRecords(ChannelState state)
    {
        // Written inside the chunk that carries the channel's first message, as @mcap/core's writer does: the chunk
        // that needs them is complete on disk exactly when they are.
        ushort schemaId = state.Channel.SchemaId;
        if (schemaId != 0 && _schemasWritten.Add(schemaId))
        {
            McapRecordWriter.Schema(_chunk, _schemas[schemaId - 1]);
        }
        McapRecordWriter.Channel(_chunk, state.Channel);
        state.WrittenToFile = true;
    }

    private void CloseChunk()
    {
        Debug.Assert(_chunkMessages > 0, "a chunk is closed only when it holds messages");
        ReadOnlySpan<byte> records = _chunk.WrittenSpan;
        uint crc = Crc32.Compute(records);
        ReadOnlySpan<byte> compressed = _compressor.Compress(records);
        string compression = _compressor.Name;

        long chunkStart = _position;
        int at = _records.BeginRecord(McapOpcode.Chunk);
        _records.U64((ulong)_chunkStartTime);
        _records.U64((ulong)_chunkEndTime);
        _records.U64((ulong)records.Length);
        _records.U32(crc);
        _records.String(compression);
        _records.U64((ulong)compressed.Length);
        // The record's length covers the compressed bytes emitted right after this header.
        BinaryPrimitives.WriteUInt64LittleEndian(_records.At(at, 8), (ulong)(_records.Length - at - 8 + compressed.Length));
        Emit(_records.WrittenSpan);
        Emit(compressed);
        long chunkLength = _position - chunkStart;
        _records.Clear();

        long indexStart = _position;
        int firstOffset = _messageIndexOffsets.Count;
        foreach (ChannelState state in _channelsInChunk)
        {
            _messageIndexOffsets.Add((state.Channel.Id, indexStart + _records.Length));
            state.WriteIndexAndReset(_records);
        }
        Emit(_records.WrittenSpan);
        _records.Clear();

        _chunkIndexes.Add(new ChunkIndexEntry(
            _chunkStartTime, _chunkEndTime, chunkStart, chunkLength, firstOffset, _channelsInChunk.Count,
            _position - indexStart, compressed.Length, records.Length));
        _channelsInChunk.Clear();
        _chunk.Clear();
        _chunkMessages = 0;
        _stream.Flush();
    }

    private void WriteStatistics()
    {
        int at = _records.BeginRecord(McapOpcode.Statistics);
        _records.U64((ulong)_messageCount);
        _records.U16((ushort)_schemas.Count);
        _records.U32((uint)_channels.Count);
        _records.U32(0); // attachments
        _records.U32(0); // metadata
        _records.U32((uint)_chunkIndexes.Count);
        _records.U64((ulong)_messageStartTime);
        _records.U64((ulong)_messageEndTime);
        _records.U32((uint)(_channels.Count * 10));
        foreach (ChannelState channel in _channels)
        {
            _records.U16(channel.Channel.Id);
            _records.U64((ulong)channel.MessageCount);
        }
        _records.EndRecord(at);
    }

    private void WriteChunkIndex(ChunkIndexEntry chunk)
    {
        int at = _records.BeginRecord(McapOpcode.ChunkIndex);
        _records.U64((ulong)chunk.MessageStartTime);
        _records.U64((ulong)chunk.MessageEndTime);
        _records.U64((ulong)chunk.ChunkStartOffset);
        _records.U64((ulong)chunk.ChunkLength);
        _records.U32((uint)(chunk.IndexOffsetCount * 10));
        for (int i = 0; i < chunk.IndexOffsetCount; i++)
        {
            (ushort channel, long offset) = _messageIndexOffsets[chunk.FirstIndexOffset + i];
            _records.U16(channel);
            _records.U64((ulong)offset);
        }
        _records.U64((ulong)chunk.MessageIndexLength);
        _records.String(_compressor.Name);
        _records.U64((ulong)chunk.CompressedSize);
        _records.U64((ulong)chunk.UncompressedSize);
        _records.EndRecord(at);
    }

    private uint EmitSummary(uint summaryCrc)
    {
        summaryCrc = Crc32.Update(summaryCrc, _records.WrittenSpan);
        Emit(_records.WrittenSpan);
        _records.Clear();
        return summaryCrc;
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (!_inSummary)
        {
            _dataCrc = Crc32.Update(_dataCrc, bytes);
        }
        _stream.Write(bytes);
        _position += bytes.Length;
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    private void ThrowUnknownChannel(ushort channelId) =>
        throw new ArgumentOutOfRangeException(nameof(channelId), channelId, $"no channel {channelId}: {_channels.Count} channels were added");

    private static void ThrowNegativeTime(long logTimeNs, long publishTimeNs) =>
        throw new ArgumentOutOfRangeException(nameof(logTimeNs), $"MCAP timestamps are unsigned: log {logTimeNs}, publish {publishTimeNs}");
}
