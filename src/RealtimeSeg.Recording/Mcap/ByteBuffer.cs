using System.Buffers.Binary;
using System.Text;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// A growable byte buffer that is cleared, never reallocated, between uses: the writer assembles records and chunks in
/// it so that steady-state recording allocates nothing. Little-endian, as every MCAP integer is.
/// </summary>
internal sealed class ByteBuffer
{
    private byte[] _data;

    public ByteBuffer(int initialCapacity) => _data = new byte[Math.Max(initialCapacity, 64)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _data.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them for the caller to fill.</summary>
    public Span<byte> Append(int count)
    {
        EnsureCapacity(Length + count);
        Span<byte> span = _data.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>Bytes already written, for back-patching a record's length.</summary>
    public Span<byte> At(int offset, int count) => _data.AsSpan(offset, count);

    public void EnsureCapacity(int capacity)
    {
        if (capacity > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(capacity, checked(_data.Length * 2)));
        }
    }

    /// <summary>Capacity to write into without growing (e.g. a compressor's output), starting at <see cref="Length"/>.</summary>
    public Span<byte> FreeSpan(int atLeast)
    {
        EnsureCapacity(Length + atLeast);
        return _data.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void U8(byte value) => Append(1)[0] = value;

    public void U16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Append(2), value);

    public void U32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Append(4), value);

    public void U64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Append(8), value);

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Append(value.Length));

    /// <summary>An MCAP String: uint32 byte length, then UTF-8.</summary>
    public void String(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        U32((uint)count);
        Encoding.UTF8.GetBytes(value, Append(count));
    }

    /// <summary>Starts a record: opcode and a length placeholder; returns the position to hand to <see cref="EndRecord"/>.</summary>
    public int BeginRecord(McapOpcode opcode)
    {
        U8((byte)opcode);
        int lengthAt = Length;
        U64(0);
        return lengthAt;
    }

    /// <summary>Writes the content length of the record begun at <paramref name="lengthAt"/>; returns the record's whole length.</summary>
    public int EndRecord(int lengthAt)
    {
        int content = Length - lengthAt - 8;
        BinaryPrimitives.WriteUInt64LittleEndian(At(lengthAt, 8), (ulong)content);
        return content + McapFormat.RecordPrefixLength;
    }
}
