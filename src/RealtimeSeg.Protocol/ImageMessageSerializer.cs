using System.Buffers;
using MessagePack;

namespace RealtimeSeg.Protocol;

/// <summary>
/// Writes and reads the v2 image message (docs/protocol.md §7): one camera frame as JPEG. Writing allocates nothing;
/// reading returns the JPEG as a slice of the payload (valid as long as the payload is).
/// </summary>
public static class ImageMessageSerializer
{
    /// <summary>Largest image side accepted in a header (four times an 8K map side).</summary>
    private const int MaxImageSide = 32768;

    public static void Write(IBufferWriter<byte> output, in ImageHeader header, ReadOnlySpan<byte> jpeg)
    {
        ArgumentNullException.ThrowIfNull(output);
        var w = new MessagePackWriter(output);
        w.WriteMapHeader(13);
        w.WriteString(WireKeys.Version);
        w.Write(WireFormat.SchemaVersion);
        w.WriteString(WireKeys.Type);
        w.WriteString(WireKeys.TypeImage);
        w.WriteString(WireKeys.Stream);
        w.Write(header.Stream);
        w.WriteString(WireKeys.Run);
        w.Write(header.Run);
        w.WriteString(WireKeys.Sequence);
        w.Write(header.Sequence);
        w.WriteString(WireKeys.UtcNs);
        w.Write(header.UtcNs);
        w.WriteString(WireKeys.MonoNs);
        w.Write(header.MonoNs);
        w.WriteString(WireKeys.MediaNs);
        w.Write(header.MediaNs);
        w.WriteString(WireKeys.Width);
        w.Write(header.Width);
        w.WriteString(WireKeys.Height);
        w.Write(header.Height);
        w.WriteString(WireKeys.SourceWidth);
        w.Write(header.SourceWidth);
        w.WriteString(WireKeys.SourceHeight);
        w.Write(header.SourceHeight);
        w.WriteString(WireKeys.Data);
        w.Write(jpeg);
        w.Flush();
    }

    /// <summary>Reads an image message; <paramref name="jpeg"/> is a slice of <paramref name="payload"/>.</summary>
    public static ImageHeader Read(ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> jpeg)
    {
        var state = new ParseState();
        try
        {
            return ReadCore(payload, state, out jpeg);
        }
        catch (EndOfStreamException e)
        {
            throw new ProtocolException(state.DescribeKey(state.Key), "payload ends early (truncated message)", payload.Length, e, MessageFault.Truncated);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ProtocolException(state.DescribeKey(state.Key), "invalid MessagePack: " + e.Message, payload.Length, e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // MessagePack's reader throws this, not EndOfStreamException, when a skipped value's length runs past the end.
            throw new ProtocolException(state.DescribeKey(state.Key), "a length runs past the end of the payload (truncated or corrupt message)", payload.Length, e, MessageFault.Truncated);
        }
    }

    private static ImageHeader ReadCore(ReadOnlyMemory<byte> payload, ParseState state, out ReadOnlyMemory<byte> jpeg)
    {
        Span<byte> scratch = stackalloc byte[64];
        var cursor = new WireCursor(new ReadOnlySequence<byte>(payload), 0, state);
        string? stream = null;
        string run = "";
        long sequence = -1, utc = 0, mono = 0, media = -1;
        int width = 0, height = 0, sourceWidth = 0, sourceHeight = 0;
        bool hasVersion = false;
        jpeg = default;
        int fields = cursor.ReadMapHeader("");
        for (int f = 0; f < fields; f++)
        {
            ReadOnlySpan<byte> key = cursor.ReadKey(scratch);
            if (key.SequenceEqual(WireKeys.Version))
            {
                PanopticFrameDeserializer.ReadSchemaVersion(ref cursor);
                hasVersion = true;
            }
            else if (key.SequenceEqual(WireKeys.Type))
            {
                long at = cursor.Offset;
                if (!cursor.ReadUtf8("type", scratch).SequenceEqual(WireKeys.TypeImage))
                {
                    throw cursor.Error("type", "expected \"image\"", at);
                }
            }
            else if (key.SequenceEqual(WireKeys.Stream))
            {
                stream = cursor.ReadString("stream");
            }
            else if (key.SequenceEqual(WireKeys.Run))
            {
                run = cursor.ReadString("run");
            }
            else if (key.SequenceEqual(WireKeys.Sequence))
            {
                sequence = cursor.ReadInt64("seq");
            }
            else if (key.SequenceEqual(WireKeys.UtcNs))
            {
                utc = cursor.ReadInt64("utc_ns");
            }
            else if (key.SequenceEqual(WireKeys.MonoNs))
            {
                mono = cursor.ReadInt64("mono_ns");
            }
            else if (key.SequenceEqual(WireKeys.MediaNs))
            {
                media = cursor.ReadInt64("media_ns");
            }
            else if (key.SequenceEqual(WireKeys.Width))
            {
                width = cursor.ReadInt32("w", 1, MaxImageSide);
            }
            else if (key.SequenceEqual(WireKeys.Height))
            {
                height = cursor.ReadInt32("h", 1, MaxImageSide);
            }
            else if (key.SequenceEqual(WireKeys.SourceWidth))
            {
                sourceWidth = cursor.ReadInt32("src_w", 0, int.MaxValue);
            }
            else if (key.SequenceEqual(WireKeys.SourceHeight))
            {
                sourceHeight = cursor.ReadInt32("src_h", 0, int.MaxValue);
            }
            else if (key.SequenceEqual(WireKeys.Data))
            {
                ReadOnlySequence<byte> data = cursor.ReadBinary("data");
                jpeg = payload.Slice((int)(cursor.Offset - data.Length), (int)data.Length);
            }
            else
            {
                cursor.Skip(WireCursor.UnknownKey);
            }
        }
        if (!hasVersion || stream is null || sequence < 0 || jpeg.IsEmpty)
        {
            throw new ProtocolException(!hasVersion ? "v" : stream is null ? "stream" : sequence < 0 ? "seq" : "data", "required key missing", payload.Length);
        }
        return new ImageHeader(stream, run, sequence, utc, mono, media, width, height, sourceWidth, sourceHeight);
    }
}
