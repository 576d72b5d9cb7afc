using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using MessagePack;
using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>
/// Writes a <see cref="PanopticFrame"/> as an rseg frame message (docs/protocol.md §3). Hand-written against
/// <see cref="MessagePackWriter"/> so the code reads like the spec, field by field, and allocates nothing:
/// keys are UTF-8 literals and the map is encoded straight into the output buffer.
/// Stateless apart from its options, so one instance may be shared by threads that each own their output.
/// </summary>
public sealed class PanopticFrameSerializer
{
    /// <summary>Entries in the frame map written by this version (the reader does not depend on it).</summary>
    internal const int FrameFieldCount = 17;
    internal const int SegmentFieldCount = 11;

    public PanopticFrameSerializer(MapEncoding encoding = MapEncoding.Rle16)
    {
        _ = WireFormat.MapEncodingName(encoding);
        Encoding = encoding;
    }

    public MapEncoding Encoding { get; }

    /// <summary>
    /// Appends one frame message to <paramref name="output"/>. The frame's <see cref="PanopticFrame.StreamName"/>
    /// is written as is; the caller (the publisher) makes it match the topic.
    /// </summary>
    public void Write(IBufferWriter<byte> output, PanopticFrame frame)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(frame);
        Debug.Assert(WireFormat.IsValidStreamName(frame.StreamName), "stream names are validated where streams are registered");
        frame.AssertInvariants();

        var w = new MessagePackWriter(output);
        w.WriteMapHeader(FrameFieldCount);

        w.WriteString(WireKeys.Version);
        w.Write(WireFormat.SchemaVersion);
        w.WriteString(WireKeys.Type);
        w.WriteString(WireKeys.TypeFrame);
        w.WriteString(WireKeys.Stream);
        w.Write(frame.StreamName);
        w.WriteString(WireKeys.Sequence);
        w.Write(frame.Sequence);
        w.WriteString(WireKeys.UtcNs);
        w.Write(frame.CaptureUtcNs);
        w.WriteString(WireKeys.MonoNs);
        w.Write(frame.CaptureMonotonicNs);
        w.WriteString(WireKeys.Run);
        w.Write(frame.Run);
        w.WriteString(WireKeys.MediaNs);
        w.Write(frame.MediaNs);

        w.WriteString(WireKeys.StageNs);
        long[] stages = frame.StageNs;
        w.WriteArrayHeader(stages.Length);
        for (int i = 0; i < stages.Length; i++)
        {
            w.Write(stages[i]);
        }

        w.WriteString(WireKeys.Width);
        w.Write(frame.ImageWidth);
        w.WriteString(WireKeys.Height);
        w.Write(frame.ImageHeight);
        w.WriteString(WireKeys.MapWidth);
        w.Write(frame.MapWidth);
        w.WriteString(WireKeys.MapHeight);
        w.Write(frame.MapHeight);
        w.WriteString(WireKeys.CategoryVersion);
        w.Write(frame.CategoryTableVersion);

        w.WriteString(WireKeys.Encoding);
        w.WriteString(Encoding == MapEncoding.Rle16 ? WireKeys.EncodingRle16 : WireKeys.EncodingRaw16);
        w.WriteString(WireKeys.Map);
        if (Encoding == MapEncoding.Rle16)
        {
            WriteRle16(ref w, frame.Map);
        }
        else
        {
            WriteRaw16(ref w, frame.Map);
        }

        w.WriteString(WireKeys.Segments);
        ReadOnlySpan<PanopticSegment> segments = frame.Segments;
        w.WriteArrayHeader(segments.Length);
        for (int i = 0; i < segments.Length; i++)
        {
            WriteSegment(ref w, segments[i]);
        }

        w.Flush();
    }

    private static void WriteSegment(ref MessagePackWriter w, in PanopticSegment s)
    {
        w.WriteMapHeader(SegmentFieldCount);
        w.WriteString(WireKeys.Id);
        w.Write(s.Id);
        w.WriteString(WireKeys.Category);
        w.Write(s.CategoryId);
        w.WriteString(WireKeys.IsThing);
        w.Write(s.IsThing);
        w.WriteString(WireKeys.Track);
        w.Write(s.TrackId);
        w.WriteString(WireKeys.Score);
        w.Write(s.Score);
        w.WriteString(WireKeys.Bbox);
        w.WriteArrayHeader(4);
        w.Write(s.BboxX);
        w.Write(s.BboxY);
        w.Write(s.BboxWidth);
        w.Write(s.BboxHeight);
        w.WriteString(WireKeys.Area);
        w.Write(s.Area);
        w.WriteString(WireKeys.Centroid);
        w.WriteArrayHeader(2);
        w.Write(s.CentroidX);
        w.Write(s.CentroidY);
        w.WriteString(WireKeys.Velocity);
        w.WriteArrayHeader(2);
        w.Write(s.VelocityX);
        w.Write(s.VelocityY);
        w.WriteString(WireKeys.Age);
        w.Write(s.AgeFrames);
        w.WriteString(WireKeys.Flags);
        w.Write((int)s.Flags);
    }

    /// <summary>
    /// Encodes the runs in one pass straight into the output: the span is reserved for the worst case (one run per
    /// pixel) after room for the largest bin header, and once the length is known the runs are moved back behind
    /// the smallest header that fits, so the bytes are exactly what WriteBinHeader + WriteRaw would produce.
    /// </summary>
    private static void WriteRle16(ref MessagePackWriter w, ReadOnlySpan<ushort> map)
    {
        const int MaxHeader = 5;
        Span<byte> span = w.GetSpan(MaxHeader + RunLengthCodec.MaxEncodedBytes(map.Length));
        int length = RunLengthCodec.Encode(map, span[MaxHeader..]);
        int header;
        if (length <= byte.MaxValue)
        {
            header = 2;
            span[0] = MessagePackCode.Bin8;
            span[1] = (byte)length;
        }
        else if (length <= ushort.MaxValue)
        {
            header = 3;
            span[0] = MessagePackCode.Bin16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
        }
        else
        {
            header = 5;
            span[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        }
        if (header != MaxHeader)
        {
            // Overlapping move towards the front; Span.CopyTo has memmove semantics.
            span.Slice(MaxHeader, length).CopyTo(span[header..]);
        }
        w.Advance(header + length);
    }

    private static void WriteRaw16(ref MessagePackWriter w, ReadOnlySpan<ushort> map)
    {
        int bytes = map.Length * sizeof(ushort);
        w.WriteBinHeader(bytes);
        if (bytes == 0)
        {
            return;
        }
        Span<byte> destination = w.GetSpan(bytes)[..bytes];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(map).CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < map.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], map[i]);
            }
        }
        w.Advance(bytes);
    }
}
