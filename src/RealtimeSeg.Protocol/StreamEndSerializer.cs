using System.Buffers;
using MessagePack;
using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>Writes and reads the v2 end-of-stream message (docs/protocol.md §6). Rare (once per stream), so reading may allocate.</summary>
public static class StreamEndSerializer
{
    public static void Write(IBufferWriter<byte> output, StreamEndMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        WireFormat.ThrowIfInvalidStreamName(message.Stream);
        var w = new MessagePackWriter(output);
        w.WriteMapHeader(7);
        w.WriteString(WireKeys.Version);
        w.Write(WireFormat.SchemaVersion);
        w.WriteString(WireKeys.Type);
        w.WriteString(WireKeys.TypeEnd);
        w.WriteString(WireKeys.Stream);
        w.Write(message.Stream);
        w.WriteString(WireKeys.Run);
        w.Write(message.Run);
        w.WriteString(WireKeys.Reason);
        w.Write(ReasonName(message.Reason));
        w.WriteString(WireKeys.LastSequence);
        w.Write(message.LastSequence);
        w.WriteString(WireKeys.Frames);
        w.Write(message.Frames);
        w.Flush();
    }

    public static byte[] ToArray(StreamEndMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The wire name of a reason: <c>completed</c>, <c>source_lost</c>, <c>stopping</c>.</summary>
    public static string ReasonName(StreamEndReason reason) => reason switch
    {
        StreamEndReason.Completed => "completed",
        StreamEndReason.SourceLost => "source_lost",
        StreamEndReason.Stopping => "stopping",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown end-of-stream reason"),
    };

    public static StreamEndMessage Read(ReadOnlyMemory<byte> payload)
    {
        var state = new ParseState();
        var sequence = new ReadOnlySequence<byte>(payload);
        try
        {
            return ReadCore(sequence, state);
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

    private static StreamEndMessage ReadCore(in ReadOnlySequence<byte> payload, ParseState state)
    {
        Span<byte> scratch = new byte[256];
        var cursor = new WireCursor(payload, 0, state);
        string? stream = null, run = "", reason = null;
        long lastSequence = -1, frames = 0;
        bool hasVersion = false;
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
                if (!cursor.ReadUtf8("type", scratch).SequenceEqual(WireKeys.TypeEnd))
                {
                    throw cursor.Error("type", "expected \"end\"", at);
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
            else if (key.SequenceEqual(WireKeys.Reason))
            {
                reason = cursor.ReadString("reason");
            }
            else if (key.SequenceEqual(WireKeys.LastSequence))
            {
                lastSequence = cursor.ReadInt64("last_seq");
            }
            else if (key.SequenceEqual(WireKeys.Frames))
            {
                frames = cursor.ReadInt64("frames");
            }
            else
            {
                cursor.Skip(WireCursor.UnknownKey);
            }
        }
        if (!hasVersion || stream is null || reason is null)
        {
            throw new ProtocolException(!hasVersion ? "v" : stream is null ? "stream" : "reason", "required key missing", payload.Length);
        }
        StreamEndReason parsed = reason switch
        {
            "completed" => StreamEndReason.Completed,
            "source_lost" => StreamEndReason.SourceLost,
            "stopping" => StreamEndReason.Stopping,
            _ => throw new ProtocolException("reason", $"unknown end-of-stream reason '{reason}' (known: completed, source_lost, stopping)", payload.Length),
        };
        return new StreamEndMessage(stream, run ?? "", parsed, lastSequence, frames);
    }
}
