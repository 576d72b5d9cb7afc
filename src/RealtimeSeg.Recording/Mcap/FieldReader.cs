using System.Buffers.Binary;
using System.Text;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Reads the fields of one record's content, checking every length against what is there, so that a malformed record
/// becomes a <see cref="McapFormatException"/> naming the file offset instead of an index exception.
/// </summary>
internal ref struct FieldReader
{
    private readonly ReadOnlySpan<byte> _content;
    private readonly string _file;
    private readonly long _contentOffset;
    private readonly string _record;
    private int _position;

    /// <param name="content">The record's content (after opcode and length).</param>
    /// <param name="file">For errors: the file being read.</param>
    /// <param name="contentOffset">For errors: where <paramref name="content"/> starts in the file.</param>
    /// <param name="record">For errors: the record type.</param>
    public FieldReader(ReadOnlySpan<byte> content, string file, long contentOffset, string record)
    {
        _content = content;
        _file = file;
        _contentOffset = contentOffset;
        _record = record;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _content.Length - _position;

    public byte U8() => Take(1, "uint8")[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "uint16"));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "uint32"));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "uint64"));

    /// <summary>A uint64 that must fit a signed 64-bit value (timestamps, offsets, sizes).</summary>
    public long I64(string field)
    {
        int at = _position;
        ulong value = U64();
        if (value > long.MaxValue)
        {
            throw Error(at, $"{_record} field {field} is {value}, beyond what this reader handles");
        }
        return (long)value;
    }

    public string String(string field)
    {
        int at = _position;
        uint length = U32();
        if (length > Remaining)
        {
            throw Error(at, $"{_record} field {field} declares {length} bytes but only {Remaining} remain in the record");
        }
        ReadOnlySpan<byte> bytes = Take((int)length, field);
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(at, $"{_record} field {field} is not valid UTF-8");
        }
    }

    /// <summary>A uint32 length-prefixed byte field.</summary>
    public ReadOnlySpan<byte> Bytes32(string field)
    {
        int at = _position;
        uint length = U32();
        if (length > Remaining)
        {
            throw Error(at, $"{_record} field {field} declares {length} bytes but only {Remaining} remain in the record");
        }
        return Take((int)length, field);
    }

    /// <summary>A uint64 length-prefixed byte field.</summary>
    public ReadOnlySpan<byte> Bytes64(string field)
    {
        int at = _position;
        ulong length = U64();
        if (length > (ulong)Remaining)
        {
            throw Error(at, $"{_record} field {field} declares {length} bytes but only {Remaining} remain in the record");
        }
        return Take((int)length, field);
    }

    /// <summary>Everything left in the record (a Message's payload).</summary>
    public ReadOnlySpan<byte> Rest()
    {
        ReadOnlySpan<byte> rest = _content[_position..];
        _position = _content.Length;
        return rest;
    }

    /// <summary>Starts a uint32 byte-length-prefixed map or array; returns the position where it ends.</summary>
    public int BeginSized(string field)
    {
        int at = _position;
        uint length = U32();
        if (length > Remaining)
        {
            throw Error(at, $"{_record} field {field} declares {length} bytes but only {Remaining} remain in the record");
        }
        return _position + (int)length;
    }

    public readonly McapFormatException Error(int positionInContent, string problem) =>
        new(_file, _contentOffset + positionInContent, problem);

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw Error(_position, $"{_record} record ends inside its {what} field ({Remaining} of {count} bytes left)");
        }
        ReadOnlySpan<byte> span = _content.Slice(_position, count);
        _position += count;
        return span;
    }
}
