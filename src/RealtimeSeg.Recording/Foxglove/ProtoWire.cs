using System.Buffers.Binary;

namespace RealtimeSeg.Recording.Foxglove;

/// <summary>
/// Protocol-buffers wire encoding, by hand, into a caller's span: sizes are computed first so that every length
/// prefix is written once and nothing is allocated.
/// </summary>
internal static class ProtoWire
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLen = 2;

    public static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int TagSize(int field) => VarintSize((uint)field << 3);

    /// <summary>Bytes a length-delimited field of <paramref name="length"/> payload bytes takes.</summary>
    public static int LenFieldSize(int field, int length) => TagSize(field) + VarintSize((uint)length) + length;

    public static int VarintFieldSize(int field, ulong value) => TagSize(field) + VarintSize(value);

    public static int DoubleFieldSize(int field) => TagSize(field) + 8;

    public static void Varint(Span<byte> buffer, ref int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[position++] = (byte)value;
    }

    public static void Tag(Span<byte> buffer, ref int position, int field, int wireType) =>
        Varint(buffer, ref position, ((uint)field << 3) | (uint)wireType);

    /// <summary>Tag and length of a length-delimited field whose payload the caller writes next.</summary>
    public static void LenHeader(Span<byte> buffer, ref int position, int field, int length)
    {
        Tag(buffer, ref position, field, WireLen);
        Varint(buffer, ref position, (uint)length);
    }

    public static void Bytes(Span<byte> buffer, ref int position, int field, ReadOnlySpan<byte> value)
    {
        LenHeader(buffer, ref position, field, value.Length);
        value.CopyTo(buffer[position..]);
        position += value.Length;
    }

    public static void VarintField(Span<byte> buffer, ref int position, int field, ulong value)
    {
        Tag(buffer, ref position, field, WireVarint);
        Varint(buffer, ref position, value);
    }

    public static void Double(Span<byte> buffer, ref int position, int field, double value)
    {
        Tag(buffer, ref position, field, WireFixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[position..], value);
        position += 8;
    }
}
