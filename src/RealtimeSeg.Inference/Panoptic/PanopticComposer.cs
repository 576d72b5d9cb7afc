using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Panoptic;

/// <summary>
/// Builds a <see cref="PanopticFrame"/> from instance detections ("things", with their tracks) and an optional
/// semantic map ("stuff"). The one place panoptic composition rules live; multi-model fusion reuses it.
/// <para>Rules, in order:</para>
/// <list type="number">
/// <item>The map is the image divided by <see cref="ComposerOptions.MapDivisor"/> (rounded up). Map pixel (u, v) stands
/// for the image point ((u + 0.5)·d, (v + 0.5)·d) — for a last column/row reaching past the image, the middle of its
/// in-image part (<see cref="MapGeometry"/>).</item>
/// <item>Things: a thing covers the map pixels whose sample point lies in its box (clamped to the image) where its
/// <see cref="MaskGrid"/>, sampled bilinearly at that point (clamped at the grid's edges), is ≥
/// <see cref="ComposerOptions.MaskThreshold"/>; a detection without a mask covers its whole box and is flagged
/// <see cref="SegmentFlags.BoxMask"/>. Where things overlap the higher score wins (ties: the lower detection
/// index). Implemented as painting in descending score order onto void pixels only, which gives the same map as
/// painting in ascending order over everything, while writing each pixel once.</item>
/// <item>Stuff: each remaining void pixel takes the class of the semantic cell containing its sample point (nearest),
/// mapped to a stuff category; pixels of unmapped classes, <see cref="SemanticMap.NoClass"/> or outside the semantic
/// map stay void. One segment per stuff category present. Stuff never covers a thing, as if painted first.</item>
/// <item>A segment with fewer visible map pixels than <see cref="ComposerOptions.MinSegmentArea"/> (and always one
/// with none) becomes void: its pixels are set to 0 — they do not pass to a thing or stuff beneath — and it is
/// dropped.</item>
/// <item>Segment ids are 1…N in creation order: things in painting (descending score) order, then stuff in order of
/// first appearance in a raster scan. Geometry is of the visible pixels, in image pixels: bbox [x, y, w, h] from the
/// map pixels' extents (clipped to the image), area = map pixels × d², centroid = mean of the map pixels' sample points.
/// Things carry the detection score and their track's id, age and velocity (px/frame × frames per second = px/s);
/// stuff has score 1 (the semantic map has no confidence), track id 0, no velocity.</item>
/// </list>
/// <para>Masks are only ever evaluated inside their box. After warm-up (buffers grown to the stream's size) composing
/// allocates nothing. Not thread-safe: one composer per composing stage.</para>
/// </summary>
public sealed class PanopticComposer
{
    /// <summary>Largest segment id written; <see cref="ushort.MaxValue"/> is kept as an internal marker.</summary>
    public const int MaxSegmentId = ushort.MaxValue - 1;

    // Marks the pixels of a thing that turned out too small while later things are painted: they must stay
    // void rather than go to whatever lies beneath. Cleared to 0 before Compose returns.
    private const ushort VoidedMarker = ushort.MaxValue;

    private readonly ComposerOptions _options;
    private readonly CategoryTable _categories;
    private readonly int[] _thingCategoryForClass;
    private readonly int[] _stuffSlotOfClass = new int[256];
    private readonly int[] _stuffCategoryOfSlot;
    private readonly SegmentAccumulator[] _stuffStats;
    private readonly ushort[] _stuffIds;
    private readonly int[] _stuffFirstSeen;
    private readonly ushort[] _stuffRemap;
    private readonly ThingRasterizer _things = new();
    private readonly StuffRasterizer _stuff = new();
    private int[] _order = [];
    private float[] _orderScore = [];
    private MapRect[] _voided = [];
    private int[] _debugCounts = [];

    /// <param name="options">Map resolution, minimum area, mask threshold.</param>
    /// <param name="categories">The output category table; its <see cref="CategoryTable.Version"/> is stamped on every frame.</param>
    /// <param name="thingCategoryForClass">Per instance-model class id, the thing category it is published as; negative drops the class.</param>
    /// <param name="stuffCategoryForClass">Per semantic-model class id (0…254), the stuff category; negative leaves those pixels void.</param>
    public PanopticComposer(ComposerOptions options, CategoryTable categories, ReadOnlySpan<int> thingCategoryForClass, ReadOnlySpan<int> stuffCategoryForClass)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(categories);
        options.Validate();
        _options = options;
        _categories = categories;

        _thingCategoryForClass = thingCategoryForClass.ToArray();
        for (int c = 0; c < _thingCategoryForClass.Length; c++)
        {
            RequireCategory(categories, _thingCategoryForClass[c], c, thing: true, nameof(thingCategoryForClass));
        }

        if (stuffCategoryForClass.Length > SemanticMap.NoClass)
        {
            throw new ArgumentException(
                $"semantic classes are bytes with {SemanticMap.NoClass} meaning 'no class'; {stuffCategoryForClass.Length} entries is too many",
                nameof(stuffCategoryForClass));
        }
        Array.Fill(_stuffSlotOfClass, -1);
        var slotCategories = new List<int>();
        for (int c = 0; c < stuffCategoryForClass.Length; c++)
        {
            int category = stuffCategoryForClass[c];
            RequireCategory(categories, category, c, thing: false, nameof(stuffCategoryForClass));
            if (category < 0)
            {
                continue;
            }
            // Several semantic classes may feed one category; they share one segment.
            int slot = slotCategories.IndexOf(category);
            if (slot < 0)
            {
                slot = slotCategories.Count;
                slotCategories.Add(category);
            }
            _stuffSlotOfClass[c] = slot;
        }
        _stuffCategoryOfSlot = [.. slotCategories];
        _stuffStats = new SegmentAccumulator[_stuffCategoryOfSlot.Length];
        _stuffIds = new ushort[_stuffCategoryOfSlot.Length];
        _stuffFirstSeen = new int[_stuffCategoryOfSlot.Length];
        _stuffRemap = new ushort[_stuffCategoryOfSlot.Length];
    }

    public ComposerOptions Options => _options;

    /// <summary>Things and stuff categories left out because <see cref="MaxSegmentId"/> ids were used up in a frame (since construction).</summary>
    public long SegmentsOverflowed { get; private set; }

    /// <summary>
    /// Composes one frame into <paramref name="output"/> (reset and reused): header fields from <paramref name="meta"/>,
    /// the map, and the segments. <see cref="PanopticFrame.StageNs"/> and <see cref="PanopticFrame.StreamName"/> are
    /// left as they are: stamping is the caller's business.
    /// </summary>
    /// <param name="meta">The source frame: stream, sequence, capture times, image size (≥ 1×1).</param>
    /// <param name="detections">The frame's things, image pixels.</param>
    /// <param name="tracks">Per detection (same index) its track, or empty when the stream is not tracked.</param>
    /// <param name="stuff">The semantic map, or null when there is no stuff model.</param>
    /// <param name="framesPerSecond">The stream's frame rate, converting track velocities from px/frame to px/s.</param>
    /// <param name="output">The frame to fill.</param>
    public void Compose(in FrameMetadata meta, DetectionSet detections, ReadOnlySpan<TrackInfo> tracks, SemanticMap? stuff, float framesPerSecond,
        PanopticFrame output)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(output);
        if (meta.Width <= 0 || meta.Height <= 0)
        {
            ThrowBadImageSize(meta.Width, meta.Height, nameof(meta));
        }
        if (!tracks.IsEmpty && tracks.Length < detections.Count)
        {
            ThrowTracksTooShort(tracks.Length, detections.Count, nameof(tracks));
        }
        if (!(framesPerSecond > 0f) || float.IsPositiveInfinity(framesPerSecond))
        {
            ThrowBadFrameRate(framesPerSecond, nameof(framesPerSecond));
        }

        int d = _options.MapDivisor;
        int mapWidth = (meta.Width + d - 1) / d;
        int mapHeight = (meta.Height + d - 1) / d;
        Span<long> stamps = stackalloc long[PipelineStages.Count];
        output.StageNs.CopyTo(stamps);
        output.Reset(mapWidth, mapHeight);
        stamps.CopyTo(output.StageNs);
        output.StreamIndex = meta.StreamIndex;
        output.Sequence = meta.Sequence;
        output.CaptureUtcNs = meta.CaptureUtcNs;
        output.CaptureMonotonicNs = meta.CaptureMonotonicNs;
        output.MediaNs = meta.MediaNs;
        output.ImageWidth = meta.Width;
        output.ImageHeight = meta.Height;
        output.CategoryTableVersion = _categories.Version;
        Span<ushort> map = output.Map;
        map.Clear();

        int nextId = 1;
        int voidedCount = ComposeThings(meta, detections, tracks, framesPerSecond, output, map, mapWidth, mapHeight, ref nextId);
        if (stuff is not null && stuff.Width > 0 && _stuffCategoryOfSlot.Length > 0)
        {
            ComposeStuff(meta, stuff, output, map, mapWidth, mapHeight, ref nextId);
        }
        for (int k = 0; k < voidedCount; k++)
        {
            MapRect r = _voided[k];
            for (int v = r.V0; v < r.V1; v++)
            {
                map.Slice(v * mapWidth + r.U0, r.Width).Replace(VoidedMarker, (ushort)0);
            }
        }
        output.AssertInvariants();
        AssertComposed(output, d);
    }

    /// <summary>Post-conditions: ids 1…N in order, no marker left in the map, and each segment's area is what the map holds.</summary>
    [Conditional("DEBUG")]
    private void AssertComposed(PanopticFrame output, int divisor)
    {
        int n = output.SegmentCount;
        if (_debugCounts.Length < n + 1)
        {
            _debugCounts = new int[n + 1];
        }
        Array.Clear(_debugCounts, 0, n + 1);
        foreach (ushort id in output.Map)
        {
            Debug.Assert(id <= n, "every map id names a segment (or is 0)");
            _debugCounts[Math.Min((int)id, n)]++;
        }
        for (int k = 0; k < n; k++)
        {
            PanopticSegment s = output.Segments[k];
            Debug.Assert(s.Id == k + 1, "segment ids are 1…N in creation order");
            Debug.Assert(s.Area == _debugCounts[k + 1] * divisor * divisor, "a segment's area is its visible map pixels × d²");
        }
    }

    /// <returns>How many entries of <c>_voided</c> hold regions still carrying <see cref="VoidedMarker"/>.</returns>
    private int ComposeThings(in FrameMetadata meta, DetectionSet detections, ReadOnlySpan<TrackInfo> tracks, float fps, PanopticFrame output,
        Span<ushort> map, int mapWidth, int mapHeight, ref int nextId)
    {
        int n = detections.Count;
        if (n == 0)
        {
            return 0;
        }
        if (_order.Length < n)
        {
            _order = new int[n];
            _orderScore = new float[n];
            _voided = new MapRect[n];
        }
        SortByDescendingScore(detections.Items);

        int d = _options.MapDivisor;
        int minArea = Math.Max(1, _options.MinSegmentArea);
        int voidedCount = 0;
        ReadOnlySpan<MaskGrid> masks = detections.Masks;
        for (int k = 0; k < n; k++)
        {
            int index = _order[k];
            ref readonly Detection det = ref detections[index];
            int category = (uint)det.ClassId < (uint)_thingCategoryForClass.Length ? _thingCategoryForClass[det.ClassId] : -1;
            if (category < 0)
            {
                continue;
            }
            BoundingBox box = det.Box;
            MapRect rect = MapRect.FromImageBox(box.X1, box.Y1, box.X2, box.Y2, meta.Width, meta.Height, d, mapWidth, mapHeight);
            if (rect.IsEmpty)
            {
                continue;
            }
            if (nextId > MaxSegmentId)
            {
                SegmentsOverflowed++;
                continue;
            }
            var id = (ushort)nextId;
            SegmentAccumulator stats = SegmentAccumulator.Empty;
            if (det.HasMask)
            {
                _things.PaintMask(map, mapWidth, d, meta.Width, meta.Height, rect, masks[det.MaskIndex], detections.MaskCells(det.MaskIndex), _options.MaskThreshold, id, ref stats);
            }
            else
            {
                ThingRasterizer.PaintBox(map, mapWidth, rect, id, ref stats);
            }

            if (stats.Count < minArea)
            {
                if (stats.Count > 0)
                {
                    // Too small: block its pixels for everything painted later and hand its id to the next thing.
                    for (int v = stats.MinV; v <= stats.MaxV; v++)
                    {
                        map.Slice(v * mapWidth + stats.MinU, stats.MaxU - stats.MinU + 1).Replace(id, VoidedMarker);
                    }
                    _voided[voidedCount++] = new MapRect(stats.MinU, stats.MinV, stats.MaxU + 1, stats.MaxV + 1);
                }
                continue;
            }

            nextId++;
            ref PanopticSegment s = ref output.AddSegment();
            s.Id = id;
            s.CategoryId = category;
            s.IsThing = true;
            s.Score = det.Score;
            s.Flags = det.HasMask ? SegmentFlags.None : SegmentFlags.BoxMask;
            if (!tracks.IsEmpty)
            {
                TrackInfo t = tracks[index];
                s.TrackId = t.TrackId;
                s.VelocityX = t.VelocityX * fps;
                s.VelocityY = t.VelocityY * fps;
                s.AgeFrames = t.AgeFrames;
            }
            WriteGeometry(ref s, stats, d, meta.Width, meta.Height, mapWidth, mapHeight);
        }
        return voidedCount;
    }

    private void ComposeStuff(in FrameMetadata meta, SemanticMap semantic, PanopticFrame output, Span<ushort> map, int mapWidth, int mapHeight,
        ref int nextId)
    {
        int d = _options.MapDivisor;
        int minArea = Math.Max(1, _options.MinSegmentArea);
        _stuff.Prepare(semantic, mapWidth, d, meta.Width);
        _stuffStats.AsSpan().Fill(SegmentAccumulator.Empty);
        Array.Clear(_stuffIds);
        int seen = 0;
        int firstId = nextId;
        SegmentsOverflowed += _stuff.Pass(semantic, map, mapWidth, mapHeight, d, meta.Height, _stuffSlotOfClass, _stuffStats, _stuffIds, _stuffFirstSeen,
            ref seen, firstId, MaxSegmentId - firstId + 1);

        // Ids went out in order of appearance; a stuff segment too small to keep must give its pixels back to void
        // and every later stuff id moves down to keep ids dense. Only then is the map touched again.
        int firstDropped = -1;
        for (int k = 0; k < seen; k++)
        {
            int slot = _stuffFirstSeen[k];
            ref readonly SegmentAccumulator stats = ref _stuffStats[slot];
            if (stats.Count < minArea)
            {
                _stuffRemap[k] = 0;
                firstDropped = firstDropped < 0 ? k : firstDropped;
                continue;
            }
            _stuffRemap[k] = (ushort)nextId;
            ref PanopticSegment s = ref output.AddSegment();
            s.Id = nextId++;
            s.CategoryId = _stuffCategoryOfSlot[slot];
            s.IsThing = false;
            s.Score = 1f;
            WriteGeometry(ref s, stats, d, meta.Width, meta.Height, mapWidth, mapHeight);
        }
        if (firstDropped >= 0)
        {
            RenumberStuff(map, mapWidth, firstId, firstDropped, seen);
        }
    }

    /// <summary>Rewrites stuff ids firstId + k, k ∈ [from, seen), through <c>_stuffRemap</c>, only within those segments' extent.</summary>
    private void RenumberStuff(Span<ushort> map, int mapWidth, int firstId, int from, int seen)
    {
        int u0 = int.MaxValue, u1 = -1, v0 = int.MaxValue, v1 = -1;
        for (int k = from; k < seen; k++)
        {
            ref readonly SegmentAccumulator stats = ref _stuffStats[_stuffFirstSeen[k]];
            (u0, u1, v0, v1) = (Math.Min(u0, stats.MinU), Math.Max(u1, stats.MaxU), Math.Min(v0, stats.MinV), Math.Max(v1, stats.MaxV));
        }
        var lo = (ushort)(firstId + from);
        var hi = (ushort)(firstId + seen - 1);
        for (int v = v0; v <= v1; v++)
        {
            Span<ushort> row = map.Slice(v * mapWidth + u0, u1 - u0 + 1);
            for (int i = row.IndexOfAnyInRange(lo, hi); i >= 0;)
            {
                row[i] = _stuffRemap[row[i] - firstId];
                int next = row[(i + 1)..].IndexOfAnyInRange(lo, hi);
                i = next < 0 ? -1 : i + 1 + next;
            }
        }
    }

    /// <summary>Stable descending sort of detection indices by score into <c>_order</c> (NaN scores last).</summary>
    private void SortByDescendingScore(ReadOnlySpan<Detection> items)
    {
        // Insertion sort: a frame holds tens of detections, it is stable, and it allocates nothing.
        for (int i = 0; i < items.Length; i++)
        {
            float score = float.IsNaN(items[i].Score) ? float.NegativeInfinity : items[i].Score;
            int j = i - 1;
            while (j >= 0 && _orderScore[j] < score)
            {
                _order[j + 1] = _order[j];
                _orderScore[j + 1] = _orderScore[j];
                j--;
            }
            _order[j + 1] = i;
            _orderScore[j + 1] = score;
        }
    }

    private static void WriteGeometry(ref PanopticSegment s, in SegmentAccumulator stats, int d, int imageWidth, int imageHeight, int mapWidth,
        int mapHeight)
    {
        Debug.Assert(stats.Count > 0);
        int x = stats.MinU * d;
        int y = stats.MinV * d;
        s.BboxX = x;
        s.BboxY = y;
        // The last map column/row may reach past the image when its size is not a multiple of d.
        s.BboxWidth = Math.Min((stats.MaxU + 1) * d, imageWidth) - x;
        s.BboxHeight = Math.Min((stats.MaxV + 1) * d, imageHeight) - y;
        s.Area = stats.Count * d * d;
        // Mean of the pixels' sample points: whole-pixel centres, less the shift of a partial last column/row.
        double count = stats.Count;
        s.CentroidX = (float)(((stats.SumU / count) + 0.5) * d - stats.LastColumnCount / count * MapGeometry.LastSampleShift(d, imageWidth, mapWidth));
        s.CentroidY = (float)(((stats.SumV / count) + 0.5) * d - stats.LastRowCount / count * MapGeometry.LastSampleShift(d, imageHeight, mapHeight));
    }

    private static void RequireCategory(CategoryTable categories, int categoryId, int classId, bool thing, string paramName)
    {
        if (categoryId < 0)
        {
            return;
        }
        if (!categories.TryGet(categoryId, out Category category))
        {
            throw new ArgumentException($"class {classId} maps to category {categoryId}, which is not in the category table", paramName);
        }
        if (category.IsThing != thing)
        {
            throw new ArgumentException(
                $"class {classId} maps to category {categoryId} ('{category.Name}'), which is {(category.IsThing ? "a thing" : "stuff")}; this mapping needs {(thing ? "things" : "stuff")}",
                paramName);
        }
    }

    [DoesNotReturn]
    private static void ThrowBadImageSize(int width, int height, string paramName)
        => throw new ArgumentException($"image size must be at least 1x1, was {width}x{height}", paramName);

    [DoesNotReturn]
    private static void ThrowTracksTooShort(int length, int count, string paramName)
        => throw new ArgumentException($"tracks has {length} entries for {count} detections; pass one per detection or none", paramName);

    [DoesNotReturn]
    private static void ThrowBadFrameRate(float fps, string paramName)
        => throw new ArgumentOutOfRangeException(paramName, fps, "frames per second must be positive and finite");
}
