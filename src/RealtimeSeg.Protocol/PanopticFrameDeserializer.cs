using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MessagePack;
using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>
/// Reads an rseg frame message (docs/protocol.md §3) into a reused <see cref="PanopticFrame"/>. Keys may come
/// in any order, unknown keys are skipped, and anything else that breaks the spec throws a
/// <see cref="ProtocolException"/> naming the key, the problem and the byte offset. After the frame's buffers
/// have grown to the stream's size, reading allocates nothing.
/// Not thread-safe: it keeps a small stream-name cache and parse state; use one per receiving thread.
/// </summary>
public sealed class PanopticFrameDeserializer
{
    private const int KeyScratchBytes = 32;
    private const int NameScratchBytes = 256;

    private readonly MessageLimits _limits;
    private readonly StreamNameCache _names = new();
    private readonly StreamNameCache _runs = new();
    private readonly ParseState _state = new();
    // Heap scratch rather than stackalloc: spans returned by the cursor must not outlive stack memory.
    private readonly byte[] _keyScratch = new byte[KeyScratchBytes];
    private readonly byte[] _nameScratch = new byte[NameScratchBytes];
    private byte[] _binScratch = [];

    /// <summary>A reader that accepts <see cref="MessageLimits.Default"/> (8K maps).</summary>
    public PanopticFrameDeserializer() : this(MessageLimits.Default) { }

    /// <summary>
    /// A reader that rejects, with <see cref="MessageFault.MapTooLarge"/> or <see cref="MessageFault.TooManySegments"/>,
    /// frames beyond <paramref name="limits"/> before growing any buffer for them.
    /// </summary>
    public PanopticFrameDeserializer(MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _limits = limits;
    }

    public void Read(ReadOnlyMemory<byte> payload, PanopticFrame frame) => Read(new ReadOnlySequence<byte>(payload), frame);

    public void Read(in ReadOnlySequence<byte> payload, PanopticFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _state.Reset();
        try
        {
            ReadCore(payload, frame);
        }
        catch (EndOfStreamException e)
        {
            throw new ProtocolException(_state.DescribeKey(_state.Key), "payload ends early (truncated message)", payload.Length, e, MessageFault.Truncated);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ProtocolException(_state.DescribeKey(_state.Key), "invalid MessagePack: " + e.Message, payload.Length, e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // MessagePack's reader throws this, not EndOfStreamException, when a skipped value's length runs past the end.
            throw new ProtocolException(_state.DescribeKey(_state.Key), "a length runs past the end of the payload (truncated or corrupt message)", payload.Length, e, MessageFault.Truncated);
        }
        frame.AssertInvariants();
    }

    private void ReadCore(in ReadOnlySequence<byte> payload, PanopticFrame frame)
    {
        Span<byte> keyScratch = _keyScratch;
        Span<byte> nameScratch = _nameScratch;
        var cursor = new WireCursor(payload, 0, _state);

        FrameFields seen = FrameFields.None;
        string stream = "", run = "";
        long sequence = 0, utcNs = 0, monoNs = 0, mediaNs = -1;
        int width = 0, height = 0, mapWidth = 0, mapHeight = 0;
        uint categoryVersion = 0;
        MapEncoding encoding = MapEncoding.Rle16;
        ReadOnlySequence<byte> mapBytes = default;
        long mapOffset = 0;
        SequencePosition stagesAt = default, segmentsAt = default;
        long stagesOffset = 0, segmentsOffset = 0;

        int fields = cursor.ReadMapHeader("");
        for (int f = 0; f < fields; f++)
        {
            ReadOnlySpan<byte> key = cursor.ReadKey(keyScratch);
            if (key.SequenceEqual(WireKeys.Version))
            {
                ReadSchemaVersion(ref cursor);
                seen |= FrameFields.Version;
            }
            else if (key.SequenceEqual(WireKeys.Type))
            {
                long at = cursor.Offset;
                if (!cursor.ReadUtf8("type", keyScratch).SequenceEqual(WireKeys.TypeFrame))
                {
                    throw cursor.Error("type", "expected \"frame\" (is this a meta message on a frame topic?)", at);
                }
                seen |= FrameFields.Type;
            }
            else if (key.SequenceEqual(WireKeys.Stream))
            {
                stream = _names.Get(cursor.ReadUtf8("stream", nameScratch));
                seen |= FrameFields.Stream;
            }
            else if (key.SequenceEqual(WireKeys.Sequence))
            {
                sequence = cursor.ReadInt64("seq");
                seen |= FrameFields.Sequence;
            }
            else if (key.SequenceEqual(WireKeys.UtcNs))
            {
                utcNs = cursor.ReadInt64("utc_ns");
            }
            else if (key.SequenceEqual(WireKeys.MonoNs))
            {
                monoNs = cursor.ReadInt64("mono_ns");
            }
            else if (key.SequenceEqual(WireKeys.Run))
            {
                run = _runs.Get(cursor.ReadUtf8("run", nameScratch));
            }
            else if (key.SequenceEqual(WireKeys.MediaNs))
            {
                mediaNs = cursor.ReadInt64("media_ns");
            }
            else if (key.SequenceEqual(WireKeys.StageNs))
            {
                // Deferred, like segs: the frame is reset only once map_w and map_h are known.
                stagesOffset = cursor.Offset;
                stagesAt = cursor.Position;
                seen |= FrameFields.Stages;
                cursor.Skip("stage_ns");
            }
            else if (key.SequenceEqual(WireKeys.Width))
            {
                width = cursor.ReadInt32("w", 0, int.MaxValue);
            }
            else if (key.SequenceEqual(WireKeys.Height))
            {
                height = cursor.ReadInt32("h", 0, int.MaxValue);
            }
            else if (key.SequenceEqual(WireKeys.MapWidth))
            {
                mapWidth = cursor.ReadInt32("map_w", 0, int.MaxValue);
                seen |= FrameFields.MapWidth;
            }
            else if (key.SequenceEqual(WireKeys.MapHeight))
            {
                mapHeight = cursor.ReadInt32("map_h", 0, int.MaxValue);
                seen |= FrameFields.MapHeight;
            }
            else if (key.SequenceEqual(WireKeys.CategoryVersion))
            {
                categoryVersion = cursor.ReadUInt32("cat_ver");
            }
            else if (key.SequenceEqual(WireKeys.Encoding))
            {
                long at = cursor.Offset;
                ReadOnlySpan<byte> name = cursor.ReadUtf8("enc", keyScratch);
                if (name.SequenceEqual(WireKeys.EncodingRle16))
                {
                    encoding = MapEncoding.Rle16;
                }
                else if (name.SequenceEqual(WireKeys.EncodingRaw16))
                {
                    encoding = MapEncoding.Raw16;
                }
                else
                {
                    throw cursor.Error("enc", $"unsupported map encoding '{System.Text.Encoding.UTF8.GetString(name)}' (known: rle16, raw16)", at);
                }
                seen |= FrameFields.Encoding;
            }
            else if (key.SequenceEqual(WireKeys.Map))
            {
                mapBytes = cursor.ReadBinary("map");
                mapOffset = cursor.Offset - mapBytes.Length;
                seen |= FrameFields.Map;
            }
            else if (key.SequenceEqual(WireKeys.Segments))
            {
                segmentsOffset = cursor.Offset;
                segmentsAt = cursor.Position;
                seen |= FrameFields.Segments;
                cursor.Skip("segs");
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
        RequireFields(seen, payload.Length);
        // Everything the frame's buffers would grow to is checked against the limits and the bytes actually sent
        // before the frame is touched: a hostile header costs nothing.
        CheckMapClaim(mapWidth, mapHeight, encoding, mapBytes, mapOffset);

        frame.Reset(mapWidth, mapHeight);
        frame.StreamName = stream;
        frame.Sequence = sequence;
        frame.CaptureUtcNs = utcNs;
        frame.CaptureMonotonicNs = monoNs;
        frame.Run = run;
        frame.MediaNs = mediaNs;
        frame.ImageWidth = width;
        frame.ImageHeight = height;
        frame.CategoryTableVersion = categoryVersion;

        if ((seen & FrameFields.Stages) != 0)
        {
            var stages = new WireCursor(payload.Slice(stagesAt), stagesOffset, _state);
            ReadStages(ref stages, frame.StageNs);
        }
        if ((seen & FrameFields.Segments) != 0)
        {
            var segments = new WireCursor(payload.Slice(segmentsAt), segmentsOffset, _state);
            ReadSegments(ref segments, frame);
        }
        DecodeMap(mapBytes, mapOffset, encoding, frame.Map);
    }

    /// <summary>Accepts every version this reader knows (v1 frames simply lack the v2 keys).</summary>
    internal static void ReadSchemaVersion(ref WireCursor cursor)
    {
        long at = cursor.Offset;
        long version = cursor.ReadInt64("v");
        if (version is < WireFormat.MinSchemaVersion or > WireFormat.SchemaVersion)
        {
            throw cursor.Error("v", $"unsupported schema version {version} (this reader knows versions {WireFormat.MinSchemaVersion}…{WireFormat.SchemaVersion})", at);
        }
    }

    private static void RequireFields(FrameFields seen, long payloadLength)
    {
        const FrameFields required = FrameFields.Version | FrameFields.Type | FrameFields.Stream | FrameFields.Sequence
            | FrameFields.MapWidth | FrameFields.MapHeight | FrameFields.Encoding | FrameFields.Map;
        if ((seen & required) == required)
        {
            return;
        }
        FrameFields missing = required & ~seen;
        string key = missing switch
        {
            _ when (missing & FrameFields.Version) != 0 => "v",
            _ when (missing & FrameFields.Type) != 0 => "type",
            _ when (missing & FrameFields.Stream) != 0 => "stream",
            _ when (missing & FrameFields.Sequence) != 0 => "seq",
            _ when (missing & FrameFields.MapWidth) != 0 => "map_w",
            _ when (missing & FrameFields.MapHeight) != 0 => "map_h",
            _ when (missing & FrameFields.Encoding) != 0 => "enc",
            _ => "map",
        };
        throw new ProtocolException(key, "required key missing", payloadLength);
    }

    private void CheckMapClaim(int mapWidth, int mapHeight, MapEncoding encoding, in ReadOnlySequence<byte> mapBytes, long mapOffset)
    {
        if (mapWidth > _limits.MaxMapWidth)
        {
            throw new ProtocolException("map_w", $"map width {mapWidth} exceeds the limit {_limits.MaxMapWidth}", mapOffset, fault: MessageFault.MapTooLarge);
        }
        if (mapHeight > _limits.MaxMapHeight)
        {
            throw new ProtocolException("map_h", $"map height {mapHeight} exceeds the limit {_limits.MaxMapHeight}", mapOffset, fault: MessageFault.MapTooLarge);
        }
        long pixels = (long)mapWidth * mapHeight;
        if (pixels > _limits.MaxMapPixels)
        {
            throw new ProtocolException("map_w", $"map {mapWidth}x{mapHeight} = {pixels} pixels exceeds the limit {_limits.MaxMapPixels}", mapOffset, fault: MessageFault.MapTooLarge);
        }
        if (encoding == MapEncoding.Raw16)
        {
            if (mapBytes.Length != pixels * sizeof(ushort))
            {
                throw new ProtocolException("map", $"raw16 data is {mapBytes.Length} bytes, expected map_w × map_h × 2 = {pixels * 2}", mapOffset);
            }
            return;
        }
        string? problem = RunLengthCodec.CheckCoverage(mapBytes, pixels, out long errorOffset);
        if (problem is not null)
        {
            throw new ProtocolException("map", problem, mapOffset + errorOffset);
        }
    }

    private static void ReadStages(ref WireCursor cursor, long[] stageNs)
    {
        int n = cursor.ReadArrayHeader("stage_ns");
        for (int i = 0; i < n; i++)
        {
            long value = cursor.ReadInt64("stage_ns");
            // A newer writer may know more stages: the spec says extra entries are ignored.
            if (i < stageNs.Length)
            {
                stageNs[i] = value;
            }
        }
    }

    private void ReadSegments(ref WireCursor cursor, PanopticFrame frame)
    {
        Span<byte> keyScratch = _keyScratch;
        Span<float> four = stackalloc float[4];
        long countAt = cursor.Offset;
        int count = cursor.ReadArrayHeader("segs");
        if (count > _limits.MaxSegments)
        {
            throw new ProtocolException("segs", $"{count} segments exceed the limit {_limits.MaxSegments}", countAt, fault: MessageFault.TooManySegments);
        }
        _state.Parent = "segs";
        for (int k = 0; k < count; k++)
        {
            _state.Index = k;
            long start = cursor.Offset;
            int fields = cursor.ReadMapHeader("");
            ref PanopticSegment s = ref frame.AddSegment();
            bool hasId = false;
            for (int f = 0; f < fields; f++)
            {
                ReadOnlySpan<byte> key = cursor.ReadKey(keyScratch);
                if (key.SequenceEqual(WireKeys.Id))
                {
                    s.Id = cursor.ReadInt32("id", 1, ushort.MaxValue);
                    hasId = true;
                }
                else if (key.SequenceEqual(WireKeys.Category))
                {
                    s.CategoryId = cursor.ReadInt32("cat", int.MinValue, int.MaxValue);
                }
                else if (key.SequenceEqual(WireKeys.IsThing))
                {
                    s.IsThing = cursor.ReadBoolean("thing");
                }
                else if (key.SequenceEqual(WireKeys.Track))
                {
                    s.TrackId = cursor.ReadInt32("track", int.MinValue, int.MaxValue);
                }
                else if (key.SequenceEqual(WireKeys.Score))
                {
                    s.Score = cursor.ReadSingle("score");
                }
                else if (key.SequenceEqual(WireKeys.Bbox))
                {
                    cursor.ReadSingles("bbox", four);
                    (s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight) = (four[0], four[1], four[2], four[3]);
                }
                else if (key.SequenceEqual(WireKeys.Area))
                {
                    s.Area = cursor.ReadInt32("area", 0, int.MaxValue);
                }
                else if (key.SequenceEqual(WireKeys.Centroid))
                {
                    cursor.ReadSingles("centroid", four[..2]);
                    (s.CentroidX, s.CentroidY) = (four[0], four[1]);
                }
                else if (key.SequenceEqual(WireKeys.Velocity))
                {
                    cursor.ReadSingles("vel", four[..2]);
                    (s.VelocityX, s.VelocityY) = (four[0], four[1]);
                }
                else if (key.SequenceEqual(WireKeys.Age))
                {
                    s.AgeFrames = cursor.ReadInt32("age", 0, int.MaxValue);
                }
                else if (key.SequenceEqual(WireKeys.Flags))
                {
                    s.Flags = (SegmentFlags)cursor.ReadInt32("flags", 0, int.MaxValue);
                }
                else
                {
                    cursor.Skip(WireCursor.UnknownKey);
                }
            }
            if (!hasId)
            {
                throw cursor.Error("id", "required key missing", start);
            }
        }
        _state.Parent = null;
    }

    private void DecodeMap(in ReadOnlySequence<byte> bytes, long offset, MapEncoding encoding, Span<ushort> map)
    {
        ReadOnlySpan<byte> data;
        if (bytes.IsSingleSegment)
        {
            data = bytes.FirstSpan;
        }
        else
        {
            if (_binScratch.Length < bytes.Length)
            {
                _binScratch = new byte[bytes.Length];
            }
            bytes.CopyTo(_binScratch);
            data = _binScratch.AsSpan(0, (int)bytes.Length);
        }
        if (encoding == MapEncoding.Rle16)
        {
            string? problem = RunLengthCodec.Decode(data, map, out int errorOffset);
            if (problem is not null)
            {
                throw new ProtocolException("map", problem, offset + errorOffset);
            }
            return;
        }

        if (data.Length != map.Length * sizeof(ushort))
        {
            throw new ProtocolException("map", $"raw16 data is {data.Length} bytes, expected map_w × map_h × 2 = {map.Length * 2}", offset);
        }
        if (BitConverter.IsLittleEndian)
        {
            data.CopyTo(MemoryMarshal.AsBytes(map));
        }
        else
        {
            for (int i = 0; i < map.Length; i++)
            {
                map[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
            }
        }
    }
}
