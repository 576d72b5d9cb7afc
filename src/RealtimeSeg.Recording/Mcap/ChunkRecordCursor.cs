using System.Buffers.Binary;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>Walks the records inside a decompressed chunk, rejecting one that runs past the chunk's end.</summary>
internal struct ChunkRecordCursor(byte[] records, string file, long chunkOffset)
{
    private int _position;

    public readonly int Position => _position;

    /// <summary>Moves to the next record; false at the end of the chunk.</summary>
    /// <param name="opcode">The record's opcode.</param>
    /// <param name="content">The record's content, a slice of the chunk buffer.</param>
    /// <param name="recordStart">Where the record starts in the uncompressed chunk (for errors).</param>
    public bool Next(out McapOpcode opcode, out ReadOnlyMemory<byte> content, out int recordStart)
    {
        recordStart = _position;
        int left = records.Length - _position;
        if (left == 0)
        {
            opcode = default;
            content = default;
            return false;
        }
        if (left < McapFormat.RecordPrefixLength)
        {
            throw new McapFormatException(file, chunkOffset, $"chunk's records end inside a record header at uncompressed offset {_position}");
        }
        opcode = (McapOpcode)records[_position];
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(records.AsSpan(_position + 1, 8));
        if (length > (ulong)(left - McapFormat.RecordPrefixLength))
        {
            throw new McapFormatException(file, chunkOffset, $"record (opcode 0x{(byte)opcode:X2}) at uncompressed offset {_position} declares {length} bytes, past the chunk's end");
        }
        content = records.AsMemory(_position + McapFormat.RecordPrefixLength, (int)length);
        _position += McapFormat.RecordPrefixLength + (int)length;
        return true;
    }
}
