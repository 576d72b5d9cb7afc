namespace RealtimeSeg.Recording.Foxglove;

/// <summary>
/// Reads what a replay needs back out of Foxglove protobuf messages: the encoded image of a
/// <c>foxglove.CompressedImage</c> (field numbers from Foxglove's .proto files, as <see cref="FoxgloveEncoder"/> writes
/// them). Any other writer's message is read too: unknown fields are skipped by their wire type.
/// </summary>
public static class FoxgloveDecoder
{
    private const int ImageData = 2, ImageFormat = 3;
    private const int WireVarint = 0, WireFixed64 = 1, WireLength = 2, WireFixed32 = 5;

    /// <summary>
    /// The <c>data</c> of a <c>foxglove.CompressedImage</c> whose <c>format</c> is <c>jpeg</c> (or not given), as a slice of
    /// <paramref name="message"/>; false for another format. Throws <see cref="InvalidDataException"/> when the bytes
    /// are not a protobuf message.
    /// </summary>
    public static bool TryReadJpeg(ReadOnlySpan<byte> message, out ReadOnlySpan<byte> jpeg)
    {
        jpeg = default;
        bool isJpeg = true;
        int p = 0;
        while (p < message.Length)
        {
            ulong tag = Varint(message, ref p);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case WireVarint:
                    Varint(message, ref p);
                    break;
                case WireFixed64:
                    p += 8;
                    break;
                case WireFixed32:
                    p += 4;
                    break;
                case WireLength:
                    ulong length = Varint(message, ref p);
                    if (length > (ulong)(message.Length - p))
                    {
                        throw new InvalidDataException($"foxglove.CompressedImage: field {field} claims {length} bytes at offset {p}, but the message has {message.Length - p} left");
                    }
                    ReadOnlySpan<byte> value = message.Slice(p, (int)length);
                    if (field == ImageData)
                    {
                        jpeg = value;
                    }
                    else if (field == ImageFormat)
                    {
                        isJpeg = value.SequenceEqual("jpeg"u8) || value.SequenceEqual("jpg"u8);
                    }
                    p += (int)length;
                    break;
                default:
                    throw new InvalidDataException($"foxglove.CompressedImage: unknown protobuf wire type {wire} (field {field}) at offset {p}");
            }
        }
        if (p != message.Length)
        {
            throw new InvalidDataException("foxglove.CompressedImage: the message ends inside a field");
        }
        return isJpeg && !jpeg.IsEmpty;
    }

    private static ulong Varint(ReadOnlySpan<byte> buffer, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= buffer.Length)
            {
                throw new InvalidDataException("foxglove.CompressedImage: the message ends inside a varint");
            }
            byte b = buffer[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("foxglove.CompressedImage: a varint longer than 10 bytes");
    }
}
