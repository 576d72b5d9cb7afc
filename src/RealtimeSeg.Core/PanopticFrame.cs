using System.Diagnostics;

namespace RealtimeSeg.Core;

/// <summary>
/// One panoptic frame: every map pixel holds a segment id (0 = void), and <see cref="Segments"/> says what
/// each id is. Instances are pooled and reused: <see cref="Reset"/> keeps the buffers, so composing and
/// decoding a frame allocates nothing once the buffers have grown to the stream's size.
/// </summary>
public sealed class PanopticFrame
{
    private ushort[] _map;
    private PanopticSegment[] _segments;

    public PanopticFrame(int mapCapacity = 0, int segmentCapacity = 64)
    {
        _map = new ushort[mapCapacity];
        _segments = new PanopticSegment[Math.Max(1, segmentCapacity)];
    }

    public string StreamName { get; set; } = "s0";
    public int StreamIndex { get; set; }
    public long Sequence { get; set; }
    public long CaptureUtcNs { get; set; }
    public long CaptureMonotonicNs { get; set; }

    /// <summary>The run that produced the frame (protocol v2 <c>run</c>): random per process start; "" when unknown (v1).</summary>
    public string Run { get; set; } = "";

    /// <summary>The frame's presentation time in its video, recording or drive, ns (protocol v2 <c>media_ns</c>); -1 when unknown.</summary>
    public long MediaNs { get; set; } = -1;
    public int ImageWidth { get; set; }
    public int ImageHeight { get; set; }
    public int MapWidth { get; private set; }
    public int MapHeight { get; private set; }
    public uint CategoryTableVersion { get; set; }

    /// <summary>Monotonic ns at each <see cref="PipelineStage"/>; 0 where a stage did not stamp.</summary>
    public long[] StageNs { get; } = new long[PipelineStages.Count];

    public int SegmentCount { get; private set; }

    public Span<ushort> Map => _map.AsSpan(0, MapWidth * MapHeight);
    public Span<PanopticSegment> Segments => _segments.AsSpan(0, SegmentCount);

    /// <summary>Sets the map size (growing the buffer only when it is too small), clears segments and stamps.</summary>
    public void Reset(int mapWidth, int mapHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mapWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(mapHeight);
        int size = checked(mapWidth * mapHeight);
        if (_map.Length < size)
        {
            _map = new ushort[size];
        }
        MapWidth = mapWidth;
        MapHeight = mapHeight;
        SegmentCount = 0;
        Array.Clear(StageNs);
    }

    /// <summary>Appends a segment and returns a reference to it; grows the segment buffer when full.</summary>
    public ref PanopticSegment AddSegment()
    {
        if (SegmentCount == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }
        ref PanopticSegment s = ref _segments[SegmentCount++];
        s = default;
        return ref s;
    }

    public void Stamp(PipelineStage stage, long monotonicNs) => StageNs[(int)stage] = monotonicNs;

    /// <summary>Copies header, map and segments from <paramref name="other"/> (for fan-out to slow consumers).</summary>
    public void CopyFrom(PanopticFrame other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Reset(other.MapWidth, other.MapHeight);
        StreamName = other.StreamName;
        StreamIndex = other.StreamIndex;
        Sequence = other.Sequence;
        CaptureUtcNs = other.CaptureUtcNs;
        CaptureMonotonicNs = other.CaptureMonotonicNs;
        Run = other.Run;
        MediaNs = other.MediaNs;
        ImageWidth = other.ImageWidth;
        ImageHeight = other.ImageHeight;
        CategoryTableVersion = other.CategoryTableVersion;
        other.StageNs.CopyTo(StageNs, 0);
        other.Map.CopyTo(Map);
        foreach (ref readonly PanopticSegment s in other.Segments)
        {
            AddSegment() = s;
        }
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(MapWidth * MapHeight <= _map.Length);
        Debug.Assert(SegmentCount <= _segments.Length);
        for (int i = 0; i < SegmentCount; i++)
        {
            Debug.Assert(_segments[i].Id is > 0 and <= ushort.MaxValue, "segment ids are 1…65535");
        }
    }
}
