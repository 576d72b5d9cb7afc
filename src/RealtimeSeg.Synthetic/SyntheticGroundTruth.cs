using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// The exact truth of one synthetic frame: a segment id per pixel (<see cref="Map"/>, drawn with the image) and what
/// every id is (<see cref="Segments"/>). Reusable: rendering into it overwrites the previous frame without
/// allocating. Segment ids are small and only unique within a frame (stuff segments use their category id, things
/// 64 and up in drawing order); an object's identity across frames is <see cref="SyntheticSegment.ObjectId"/>.
/// Not thread-safe; one writer, then any number of readers once the render returned.
/// </summary>
public sealed class SyntheticGroundTruth
{
    /// <summary>The first thing segment id; stuff segment ids (category ids) are below it.</summary>
    public const int FirstThingSegmentId = 64;

    internal const int MaxSegmentIds = 256;
    internal const int MaxThings = MaxSegmentIds - FirstThingSegmentId;

    private readonly ushort[] _map;
    private readonly SyntheticSegment[] _segments = new SyntheticSegment[MaxSegmentIds];
    private readonly short[] _segmentIndexById = new short[MaxSegmentIds];

    // What each thing id of the frame being rendered is, by id - FirstThingSegmentId.
    private readonly SyntheticThingKind[] _thingKind = new SyntheticThingKind[MaxThings];
    private readonly int[] _thingCategory = new int[MaxThings];
    private readonly int[] _thingObject = new int[MaxThings];
    private readonly int[] _thingUnoccluded = new int[MaxThings];
    private int _thingCount;

    // Per-id accumulators of the final scan.
    private readonly int[] _area = new int[MaxSegmentIds];
    private readonly int[] _minX = new int[MaxSegmentIds];
    private readonly int[] _maxX = new int[MaxSegmentIds];
    private readonly int[] _minY = new int[MaxSegmentIds];
    private readonly int[] _maxY = new int[MaxSegmentIds];
    private readonly long[] _sumX = new long[MaxSegmentIds];
    private readonly long[] _sumY = new long[MaxSegmentIds];

    private int _segmentCount;
    private long _pendingFrame = -1;

    public SyntheticGroundTruth(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        // Pinned: OpenCV draws into it through a native header that outlives any one call.
        _map = GC.AllocateArray<ushort>(checked(width * height), pinned: true);
        _segmentIndexById.AsSpan().Fill(-1);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The frame this truth describes; -1 before the first render into it.</summary>
    public long FrameIndex { get; private set; } = -1;

    /// <summary>Segment id per pixel, row-major, <see cref="Width"/> per row; 0 would be void (the scene leaves none).</summary>
    public ReadOnlySpan<ushort> Map => _map;

    /// <summary>Every segment present in <see cref="Map"/>, in increasing id order (stuff first, then things).</summary>
    public ReadOnlySpan<SyntheticSegment> Segments => _segments.AsSpan(0, _segmentCount);

    /// <summary>Pixels no primitive covered (id 0). Always 0 for the drive scene; kept as a check.</summary>
    public int VoidArea { get; private set; }

    internal IntPtr MapPointer => Marshal.UnsafeAddrOfPinnedArrayElement(_map, 0);

    public bool TryGetSegment(int segmentId, out SyntheticSegment segment)
    {
        if ((uint)segmentId < MaxSegmentIds && _segmentIndexById[segmentId] >= 0)
        {
            segment = _segments[_segmentIndexById[segmentId]];
            return true;
        }
        segment = default;
        return false;
    }

    /// <summary>The visible segment of object <paramref name="objectId"/>; false when it is not visible in this frame.</summary>
    public bool TryGetObject(int objectId, out SyntheticSegment segment)
    {
        foreach (SyntheticSegment s in Segments)
        {
            if (s.IsThing && s.ObjectId == objectId)
            {
                segment = s;
                return true;
            }
        }
        segment = default;
        return false;
    }

    /// <summary>
    /// Fills a pipeline <see cref="PanopticFrame"/> with this truth (map at image resolution, things tracked by object
    /// id, score 1, no velocities), e.g. to publish or score it like a prediction.
    /// </summary>
    public void CopyTo(PanopticFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        frame.Reset(Width, Height);
        frame.Sequence = FrameIndex;
        frame.ImageWidth = Width;
        frame.ImageHeight = Height;
        frame.CategoryTableVersion = SyntheticCategories.Table.Version;
        Map.CopyTo(frame.Map);
        foreach (SyntheticSegment s in Segments)
        {
            ref PanopticSegment p = ref frame.AddSegment();
            p.Id = s.Id;
            p.CategoryId = s.CategoryId;
            p.IsThing = s.IsThing;
            p.TrackId = s.ObjectId;
            p.Score = 1f;
            p.BboxX = s.X;
            p.BboxY = s.Y;
            p.BboxWidth = s.Width;
            p.BboxHeight = s.Height;
            p.Area = s.Area;
            p.CentroidX = s.CentroidX;
            p.CentroidY = s.CentroidY;
        }
        frame.AssertInvariants();
    }

    /// <summary>Makes this a copy of <paramref name="other"/> (same size), e.g. to keep a frame's truth while rendering the next.</summary>
    public void CopyFrom(SyntheticGroundTruth other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Width != Width || other.Height != Height)
        {
            throw new ArgumentException($"cannot copy {other.Width}x{other.Height} ground truth into {Width}x{Height}", nameof(other));
        }
        other._map.AsSpan().CopyTo(_map);
        other.Segments.CopyTo(_segments);
        other._segmentIndexById.AsSpan().CopyTo(_segmentIndexById);
        _segmentCount = other._segmentCount;
        VoidArea = other.VoidArea;
        FrameIndex = other.FrameIndex;
    }

    /// <summary>Starts a frame: the map is cleared to void and no thing is registered.</summary>
    internal void Begin(long frameIndex)
    {
        FrameIndex = -1;
        _map.AsSpan().Clear();
        _thingCount = 0;
        _pendingFrame = frameIndex;
    }

    /// <summary>The id the next drawn thing gets, or 0 when the frame has no ids left.</summary>
    internal ushort NextThingId => _thingCount < MaxThings ? (ushort)(FirstThingSegmentId + _thingCount) : (ushort)0;

    /// <summary>
    /// Registers the thing just drawn with <see cref="NextThingId"/>; counts the pixels it holds now, before anything
    /// nearer is drawn, within the inclusive pixel bounds given.
    /// </summary>
    internal void AddThing(SyntheticThingKind kind, int categoryId, int objectId, int minX, int minY, int maxX, int maxY)
    {
        Debug.Assert(_thingCount < MaxThings);
        ushort id = (ushort)(FirstThingSegmentId + _thingCount);
        int count = 0;
        for (int y = minY; y <= maxY; y++)
        {
            count += _map.AsSpan((y * Width) + minX, maxX - minX + 1).Count(id);
        }
        _thingKind[_thingCount] = kind;
        _thingCategory[_thingCount] = categoryId;
        _thingObject[_thingCount] = objectId;
        _thingUnoccluded[_thingCount] = count;
        _thingCount++;
    }

    /// <summary>Measures every id's visible area, box and centroid from the final map and lists the segments.</summary>
    internal void Finish()
    {
        int limit = FirstThingSegmentId + _thingCount;
        _area.AsSpan(0, limit).Clear();
        _sumX.AsSpan(0, limit).Clear();
        _sumY.AsSpan(0, limit).Clear();
        _minX.AsSpan(0, limit).Fill(int.MaxValue);
        _minY.AsSpan(0, limit).Fill(int.MaxValue);
        _maxX.AsSpan(0, limit).Fill(-1);
        _maxY.AsSpan(0, limit).Fill(-1);

        int width = Width;
        for (int y = 0; y < Height; y++)
        {
            ReadOnlySpan<ushort> row = _map.AsSpan(y * width, width);
            int x = 0;
            while (x < width)
            {
                ushort id = row[x];
                int run = row[x..].IndexOfAnyExcept(id);
                if (run < 0)
                {
                    run = width - x;
                }
                Debug.Assert(id < limit, "every id in the map was handed out this frame");
                _area[id] += run;
                _sumX[id] += ((long)run * ((2 * x) + run - 1)) / 2;
                _sumY[id] += (long)run * y;
                if (x < _minX[id])
                {
                    _minX[id] = x;
                }
                if (x + run - 1 > _maxX[id])
                {
                    _maxX[id] = x + run - 1;
                }
                if (y < _minY[id])
                {
                    _minY[id] = y;
                }
                _maxY[id] = y;
                x += run;
            }
        }

        VoidArea = _area[0];
        _segmentIndexById.AsSpan().Fill(-1);
        _segmentCount = 0;
        for (int id = 1; id < limit; id++)
        {
            int area = _area[id];
            if (area == 0)
            {
                continue;
            }
            SyntheticThingKind kind = SyntheticThingKind.None;
            int category = id;
            int objectId = 0;
            int unoccluded = area;
            if (id >= FirstThingSegmentId)
            {
                int t = id - FirstThingSegmentId;
                kind = _thingKind[t];
                category = _thingCategory[t];
                objectId = _thingObject[t];
                unoccluded = _thingUnoccluded[t];
                Debug.Assert(area <= unoccluded, "nearer things only take pixels away");
            }
            _segmentIndexById[id] = (short)_segmentCount;
            _segments[_segmentCount++] = new SyntheticSegment(
                id, category, kind, objectId,
                _minX[id], _minY[id], _maxX[id] - _minX[id] + 1, _maxY[id] - _minY[id] + 1,
                area, unoccluded,
                (float)((_sumX[id] / (double)area) + 0.5), (float)((_sumY[id] / (double)area) + 0.5));
        }
        FrameIndex = _pendingFrame;
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        long total = VoidArea;
        foreach (SyntheticSegment s in Segments)
        {
            total += s.Area;
            Debug.Assert(s.Width > 0 && s.Height > 0 && s.Area <= (long)s.Width * s.Height, "a segment fits its box");
            Debug.Assert(s.IsThing == (s.ObjectId > 0), "things and only things have object ids");
        }
        Debug.Assert(total == (long)Width * Height, "every pixel belongs to exactly one segment or to void");
    }
}
