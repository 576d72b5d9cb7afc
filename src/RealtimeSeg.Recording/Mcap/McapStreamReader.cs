using System.Buffers.Binary;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Reads an MCAP file from the start, record by record, without its summary: the way to read a file that a crash cut
/// short. Stops cleanly at the first incomplete record and says where (<see cref="Status"/>,
/// <see cref="CompleteUpTo"/>, <see cref="StopReason"/>). Verifies every chunk's CRC and the data section CRC.
/// </summary>
/// <remarks>
/// Strict (the default) throws <see cref="McapFormatException"/> on corruption: a CRC mismatch, a chunk that does not
/// decompress, a malformed record. Tolerant (<c>skipCorruptChunks</c>) steps over a bad chunk, records it in
/// <see cref="Problems"/> and reads on, which is what recovery wants. Truncation is never an exception.
/// </remarks>
public sealed class McapStreamReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly string _name;
    private readonly bool _tolerant;
    private readonly Dictionary<ushort, McapSchema> _schemas = [];
    private readonly Dictionary<ushort, McapChannel> _channels = [];
    private readonly List<McapProblem> _problems = [];
    private readonly byte[] _prefix = new byte[McapFormat.RecordPrefixLength];
    private byte[] _content = new byte[64 * 1024];
    private long _offset;
    private uint _dataCrc;
    private bool _started;
    private bool _inSummary;

    private byte[]? _chunkRecords;
    private ChunkRecordCursor _chunkCursor;
    private long _chunkOffset;

    /// <param name="stream">Read sequentially from its current position, which must be the file's first byte.</param>
    /// <param name="name">The file name used in errors and reports.</param>
    /// <param name="skipCorruptChunks">Tolerant mode: record corrupt chunks in <see cref="Problems"/> and read on.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="stream"/> open.</param>
    public McapStreamReader(Stream stream, string name, bool skipCorruptChunks = false, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        _stream = stream;
        _name = name;
        _tolerant = skipCorruptChunks;
        _ownsStream = !leaveOpen;
    }

    /// <summary>Opens <paramref name="path"/> for streaming.</summary>
    public static McapStreamReader Open(string path, bool skipCorruptChunks = false) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024), path, skipCorruptChunks);

    /// <summary>The Header record, once read.</summary>
    public McapHeader? Header { get; private set; }

    /// <summary>Schemas seen so far, by id.</summary>
    public IReadOnlyDictionary<ushort, McapSchema> Schemas => _schemas;

    /// <summary>Channels seen so far, by id.</summary>
    public IReadOnlyDictionary<ushort, McapChannel> Channels => _channels;

    /// <summary>Reading, or how reading ended.</summary>
    public McapStreamStatus Status { get; private set; }

    /// <summary>Bytes from the start of the file through the end of the last complete record read.</summary>
    public long CompleteUpTo => _offset;

    /// <summary>Why reading stopped before a footer (null while reading or after a clean end).</summary>
    public string? StopReason { get; private set; }

    /// <summary>Whether the DataEnd record was reached (the writer began closing the file).</summary>
    public bool SawDataEnd { get; private set; }

    /// <summary>Chunks whose messages were read (corrupt chunks skipped in tolerant mode are not counted).</summary>
    public int ChunkCount { get; private set; }

    /// <summary>Corruption stepped over in tolerant mode.</summary>
    public IReadOnlyList<McapProblem> Problems => _problems;

    /// <summary>Reads every remaining message in file order.</summary>
    public IEnumerable<McapMessage> ReadMessages()
    {
        while (TryReadMessage(out McapMessage message))
        {
            yield return message;
        }
    }

    /// <summary>Reads the next message; false once the file ends (cleanly or not: see <see cref="Status"/>).</summary>
    public bool TryReadMessage(out McapMessage message)
    {
        if (!_started)
        {
            _started = true;
            if (!ReadMagic())
            {
                message = default;
                return false;
            }
        }
        while (true)
        {
            if (_chunkRecords is not null && TryNextInChunk(out message))
            {
                return true;
            }
            if (Status != McapStreamStatus.Reading)
            {
                message = default;
                return false;
            }
            if (ReadRecord(out message))
            {
                return true;
            }
        }
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private bool ReadMagic()
    {
        Span<byte> magic = stackalloc byte[McapFormat.MagicLength];
        int got = _stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got < magic.Length && McapFormat.Magic[..got].SequenceEqual(magic[..got]))
        {
            Stop(McapStreamStatus.Truncated, got == 0 ? "the file is empty" : $"the file ends inside the leading magic ({got} of 8 bytes)");
            return false;
        }
        if (!McapFormat.IsMagic(magic))
        {
            throw new McapFormatException(_name, 0, $"not an MCAP file: it starts with {Convert.ToHexString(magic[..got])}, not the MCAP magic 894D434150300D0A");
        }
        _dataCrc = Crc32.Update(_dataCrc, magic);
        _offset = magic.Length;
        return true;
    }

    /// <summary>Reads one top-level record; returns true with a message when it was a Message outside a chunk.</summary>
    private bool ReadRecord(out McapMessage message)
    {
        message = default;
        long recordStart = _offset;
        int got = _stream.ReadAtLeast(_prefix, _prefix.Length, throwOnEndOfStream: false);
        if (got < _prefix.Length)
        {
            Stop(McapStreamStatus.Truncated, got == 0
                ? $"the file ends after the last complete record, at offset {recordStart}, without {(SawDataEnd ? "its footer" : "a DataEnd record, summary or footer")}"
                : $"the file ends inside the header of the record at offset {recordStart} ({got} of 9 bytes)");
            return false;
        }
        var opcode = (McapOpcode)_prefix[0];
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(_prefix.AsSpan(1));
        if (Header is null && opcode != McapOpcode.Header)
        {
            throw new McapFormatException(_name, recordStart, $"expected the Header record after the magic, found opcode 0x{(byte)opcode:X2}");
        }
        long available = _stream.CanSeek ? _stream.Length - _stream.Position : long.MaxValue;
        if (length > (ulong)available)
        {
            Stop(McapStreamStatus.Truncated, $"the file ends inside the {Describe(opcode)} record at offset {recordStart}: it declares {length} bytes, {available} remain");
            return false;
        }
        if (length > McapFormat.MaxRecordLength)
        {
            throw new McapFormatException(_name, recordStart, $"{Describe(opcode)} record declares {length} bytes: corrupt length");
        }
        int contentLength = (int)length;
        byte[] content = ContentBuffer(opcode, contentLength);
        got = _stream.ReadAtLeast(content.AsSpan(0, contentLength), contentLength, throwOnEndOfStream: false);
        if (got < contentLength)
        {
            Stop(McapStreamStatus.Truncated, $"the file ends inside the {Describe(opcode)} record at offset {recordStart} ({got} of {contentLength} content bytes)");
            return false;
        }
        long contentOffset = recordStart + McapFormat.RecordPrefixLength;
        _offset = contentOffset + contentLength;
        ReadOnlySpan<byte> span = content.AsSpan(0, contentLength);
        if (opcode == McapOpcode.DataEnd)
        {
            SawDataEnd = true;
            uint declared = McapRecordParser.DataEnd(span, _name, contentOffset);
            if (declared != 0 && declared != _dataCrc)
            {
                Corrupt(recordStart, $"data section CRC mismatch: the data section hashes to {_dataCrc:X8}, DataEnd says {declared:X8}");
            }
            _inSummary = true;
            return false;
        }
        if (!_inSummary)
        {
            _dataCrc = Crc32.Update(Crc32.Update(_dataCrc, _prefix), span);
        }
        switch (opcode)
        {
            case McapOpcode.Header:
                if (Header is not null)
                {
                    throw new McapFormatException(_name, recordStart, "a second Header record");
                }
                Header = McapRecordParser.Header(span, _name, contentOffset);
                return false;
            case McapOpcode.Footer:
                ReadTrailingMagic(recordStart);
                return false;
            case McapOpcode.Schema when !_inSummary:
                AddSchema(McapRecordParser.Schema(span, _name, contentOffset));
                return false;
            case McapOpcode.Channel when !_inSummary:
                AddChannel(McapRecordParser.Channel(span, _name, contentOffset));
                return false;
            case McapOpcode.Message:
                McapMessage parsed = McapRecordParser.Message(content.AsMemory(0, contentLength), _name, contentOffset);
                if (KnownChannel(parsed.ChannelId, recordStart))
                {
                    message = parsed;
                    return true;
                }
                return false;
            case McapOpcode.Chunk:
                OpenChunk(span, recordStart, contentOffset);
                return false;
            default:
                // Message indexes, summary records, attachments, metadata and unknown opcodes carry no messages.
                return false;
        }
    }

    private byte[] ContentBuffer(McapOpcode opcode, int length)
    {
        if (opcode == McapOpcode.Message)
        {
            return new byte[length]; // handed out as the message's Data: must not be reused
        }
        if (_content.Length < length)
        {
            _content = new byte[Math.Max(length, _content.Length * 2)];
        }
        return _content;
    }

    private void OpenChunk(ReadOnlySpan<byte> content, long recordStart, long contentOffset)
    {
        try
        {
            ChunkHeader chunk = McapRecordParser.Chunk(content, _name, contentOffset);
            byte[] records = ChunkDecompressor.Decompress(
                chunk.Compression, content.Slice(chunk.RecordsStart, chunk.RecordsLength), chunk.UncompressedSize, _name, recordStart);
            if (chunk.UncompressedCrc != 0)
            {
                uint actual = Crc32.Compute(records);
                if (actual != chunk.UncompressedCrc)
                {
                    throw new McapFormatException(_name, recordStart, $"chunk CRC mismatch: its records hash to {actual:X8}, the chunk says {chunk.UncompressedCrc:X8}");
                }
            }
            _chunkRecords = records;
            _chunkCursor = new ChunkRecordCursor(records, _name, recordStart);
            _chunkOffset = recordStart;
            ChunkCount++;
        }
        catch (McapFormatException e) when (_tolerant)
        {
            _problems.Add(new McapProblem(e.Offset, e.Problem));
        }
    }

    private bool TryNextInChunk(out McapMessage message)
    {
        try
        {
            while (_chunkCursor.Next(out McapOpcode opcode, out ReadOnlyMemory<byte> content, out int at))
            {
                switch (opcode)
                {
                    case McapOpcode.Schema:
                        AddSchema(McapRecordParser.Schema(content.Span, _name, _chunkOffset));
                        break;
                    case McapOpcode.Channel:
                        AddChannel(McapRecordParser.Channel(content.Span, _name, _chunkOffset));
                        break;
                    case McapOpcode.Message:
                        message = McapRecordParser.Message(content, _name, _chunkOffset);
                        if (KnownChannel(message.ChannelId, _chunkOffset))
                        {
                            return true;
                        }
                        break;
                    case >= (McapOpcode)0x01 and <= McapOpcode.DataEnd:
                        throw new McapFormatException(_name, _chunkOffset, $"{Describe(opcode)} record at uncompressed offset {at} is not allowed inside a chunk");
                    default:
                        break; // unknown (application) records are skipped, as the spec asks
                }
            }
        }
        catch (McapFormatException e) when (_tolerant)
        {
            _problems.Add(new McapProblem(e.Offset, e.Problem));
        }
        _chunkRecords = null;
        message = default;
        return false;
    }

    private void ReadTrailingMagic(long footerStart)
    {
        Span<byte> magic = stackalloc byte[McapFormat.MagicLength];
        int got = _stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got < magic.Length)
        {
            Stop(McapStreamStatus.Truncated, $"the file ends inside the trailing magic after the footer at offset {footerStart}");
            return;
        }
        if (!McapFormat.IsMagic(magic))
        {
            throw new McapFormatException(_name, _offset, "the footer is not followed by the MCAP magic");
        }
        _offset += magic.Length;
        Status = McapStreamStatus.Complete;
        if (_stream.ReadByte() >= 0)
        {
            Corrupt(_offset, "bytes follow the trailing magic");
        }
    }

    private void AddSchema(McapSchema schema)
    {
        if (schema.Id != 0)
        {
            _schemas[schema.Id] = schema;
        }
    }

    private void AddChannel(McapChannel channel) => _channels[channel.Id] = channel;

    private bool KnownChannel(ushort channelId, long offset)
    {
        if (_channels.ContainsKey(channelId))
        {
            return true;
        }
        Corrupt(offset, $"message on channel {channelId} before any Channel record for it");
        return false;
    }

    private void Corrupt(long offset, string problem)
    {
        if (!_tolerant)
        {
            throw new McapFormatException(_name, offset, problem);
        }
        _problems.Add(new McapProblem(offset, problem));
    }

    private void Stop(McapStreamStatus status, string reason)
    {
        Status = status;
        StopReason = reason;
    }

    private static string Describe(McapOpcode opcode) =>
        Enum.IsDefined(opcode) ? opcode.ToString() : $"opcode 0x{(byte)opcode:X2}";
}
