using System.Buffers;
using MessagePack;
using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>
/// Writes and reads the meta message (docs/protocol.md §5): one stream's category table. Sent rarely (on
/// subscription and every few seconds), so unlike frames it may allocate.
/// </summary>
public static class CategoryTableSerializer
{
    /// <summary>Stage names in <see cref="PipelineStage"/> order, sent in meta so stage_ns is self-describing.</summary>
    private static readonly string[] StageNames =
        ["captured", "dequeued", "preprocessed", "inferred", "decoded", "tracked", "composed", "published"];

    public static void Write(IBufferWriter<byte> output, string streamName, CategoryTable categories)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(categories);
        WireFormat.ThrowIfInvalidStreamName(streamName);

        var w = new MessagePackWriter(output);
        w.WriteMapHeader(6);
        w.WriteString(WireKeys.Version);
        w.Write(WireFormat.SchemaVersion);
        w.WriteString(WireKeys.Type);
        w.WriteString(WireKeys.TypeMeta);
        w.WriteString(WireKeys.Stream);
        w.Write(streamName);
        w.WriteString(WireKeys.CategoryVersion);
        w.Write(categories.Version);
        w.WriteString(WireKeys.StageNames);
        w.WriteArrayHeader(StageNames.Length);
        foreach (string name in StageNames)
        {
            w.Write(name);
        }
        w.WriteString(WireKeys.Categories);
        w.WriteArrayHeader(categories.Categories.Count);
        foreach (Category c in categories.Categories)
        {
            w.WriteMapHeader(4);
            w.WriteString(WireKeys.Id);
            w.Write(c.Id);
            w.WriteString(WireKeys.Name);
            w.Write(c.Name);
            w.WriteString(WireKeys.IsThing);
            w.Write(c.IsThing);
            w.WriteString(WireKeys.Color);
            w.Write(c.Color);
        }
        w.Flush();
    }

    /// <summary>Serializes to a new array (what the publisher keeps per stream and re-sends).</summary>
    public static byte[] ToArray(string streamName, CategoryTable categories)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, streamName, categories);
        return buffer.WrittenSpan.ToArray();
    }

    public static CategoryTableMessage Read(ReadOnlyMemory<byte> payload) => Read(new ReadOnlySequence<byte>(payload));

    public static CategoryTableMessage Read(in ReadOnlySequence<byte> payload)
    {
        var state = new ParseState();
        try
        {
            return ReadCore(payload, state);
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
        catch (ArgumentException e)
        {
            // CategoryTable rejects duplicate ids.
            throw new ProtocolException(state.DescribeKey(state.Key), e.Message, payload.Length, e);
        }
    }

    private static CategoryTableMessage ReadCore(in ReadOnlySequence<byte> payload, ParseState state)
    {
        Span<byte> scratch = new byte[256];
        var cursor = new WireCursor(payload, 0, state);
        bool hasVersion = false, hasType = false, hasCategories = false;
        string? stream = null;
        uint categoryVersion = 0;
        bool hasCategoryVersion = false;
        var categories = new List<Category>();

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
                if (!cursor.ReadUtf8("type", scratch).SequenceEqual(WireKeys.TypeMeta))
                {
                    throw cursor.Error("type", "expected \"meta\" (is this a frame message on a meta topic?)", at);
                }
                hasType = true;
            }
            else if (key.SequenceEqual(WireKeys.Stream))
            {
                stream = cursor.ReadString("stream");
            }
            else if (key.SequenceEqual(WireKeys.CategoryVersion))
            {
                categoryVersion = cursor.ReadUInt32("cat_ver");
                hasCategoryVersion = true;
            }
            else if (key.SequenceEqual(WireKeys.Categories))
            {
                ReadCategories(ref cursor, state, scratch, categories);
                hasCategories = true;
            }
            else
            {
                cursor.Skip(WireCursor.UnknownKey);
            }
        }
        if (!cursor.End)
        {
            throw cursor.Error("", "unexpected bytes after the message map", cursor.Offset);
        }
        string? missing = !hasVersion ? "v" : !hasType ? "type" : stream is null ? "stream" : !hasCategoryVersion ? "cat_ver" : !hasCategories ? "cats" : null;
        if (missing is not null)
        {
            throw new ProtocolException(missing, "required key missing", payload.Length);
        }
        return new CategoryTableMessage(stream!, categoryVersion, new CategoryTable(categories));
    }

    private static void ReadCategories(ref WireCursor cursor, ParseState state, Span<byte> scratch, List<Category> categories)
    {
        int count = cursor.ReadArrayHeader("cats");
        state.Parent = "cats";
        for (int k = 0; k < count; k++)
        {
            state.Index = k;
            long start = cursor.Offset;
            int fields = cursor.ReadMapHeader("");
            int? id = null;
            string name = "";
            bool isThing = false;
            int color = 0;
            for (int f = 0; f < fields; f++)
            {
                ReadOnlySpan<byte> key = cursor.ReadKey(scratch);
                if (key.SequenceEqual(WireKeys.Id))
                {
                    id = cursor.ReadInt32("id", int.MinValue, int.MaxValue);
                }
                else if (key.SequenceEqual(WireKeys.Name))
                {
                    name = cursor.ReadString("name");
                }
                else if (key.SequenceEqual(WireKeys.IsThing))
                {
                    isThing = cursor.ReadBoolean("thing");
                }
                else if (key.SequenceEqual(WireKeys.Color))
                {
                    color = cursor.ReadInt32("color", 0, 0xFFFFFF);
                }
                else
                {
                    cursor.Skip(WireCursor.UnknownKey);
                }
            }
            if (id is null)
            {
                throw cursor.Error("id", "required key missing", start);
            }
            categories.Add(new Category(id.Value, name, isThing, color));
        }
        state.Parent = null;
    }
}
