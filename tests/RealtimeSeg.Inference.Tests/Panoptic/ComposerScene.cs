using System.Text;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Panoptic;

namespace RealtimeSeg.Inference.Tests.Panoptic;

/// <summary>Categories, class mappings and helpers shared by the composer tests.</summary>
internal static class ComposerScene
{
    public const int PersonClass = 0;
    public const int IgnoredClass = 1;
    public const int CarClass = 2;
    public const int PersonCategory = 1;
    public const int CarCategory = 3;
    public const int RoadCategory = 100;
    public const int SkyCategory = 101;
    public const int CurbCategory = 102;

    public static readonly CategoryTable Categories = new(
    [
        new Category(PersonCategory, "person", IsThing: true, 0xDC143C),
        new Category(CarCategory, "car", IsThing: true, 0x00008E),
        new Category(RoadCategory, "road", IsThing: false, 0x804080),
        new Category(SkyCategory, "sky", IsThing: false, 0x4682B4),
        new Category(CurbCategory, "curb", IsThing: false, 0xAAAAAA),
    ]);

    /// <summary>Model class 0 → person, 1 → dropped, 2 → car.</summary>
    public static readonly int[] ThingMap = [PersonCategory, -1, CarCategory];

    /// <summary>Semantic class 0 → sky, 1 → road, 2 → curb, 3 (lane mark) → road as well.</summary>
    public static readonly int[] StuffMap = [SkyCategory, RoadCategory, CurbCategory, RoadCategory];

    public static PanopticComposer Composer(int divisor = 1, int minArea = 1, float threshold = 0.5f)
        => new(new ComposerOptions { MapDivisor = divisor, MinSegmentArea = minArea, MaskThreshold = threshold }, Categories, ThingMap, StuffMap);

    public static FrameMetadata Meta(int width, int height) => new(0, 0, 0, 0, width, height);

    public static PanopticFrame Compose(PanopticComposer composer, int width, int height, DetectionSet detections, SemanticMap? stuff = null,
        TrackInfo[]? tracks = null)
    {
        var frame = new PanopticFrame();
        composer.Compose(Meta(width, height), detections, tracks ?? [], stuff, 25f, frame);
        return frame;
    }

    public static DetectionSet Boxes(params (float X1, float Y1, float X2, float Y2, float Score, int Class)[] boxes)
    {
        var set = new DetectionSet(16, 1024);
        foreach (var b in boxes)
        {
            Assert.True(set.TryAdd(new Detection(new BoundingBox(b.X1, b.Y1, b.X2, b.Y2), b.Class, b.Score, -1)));
        }
        return set;
    }

    /// <summary>Adds a masked detection whose grid has the given cells (row-major, <paramref name="gridWidth"/> per row).</summary>
    public static void AddMasked(DetectionSet set, BoundingBox box, float score, int classId, int gridWidth, float originX, float originY,
        float cellWidth, float cellHeight, params float[] cells)
    {
        int index = set.TryAllocateMask(gridWidth, cells.Length / gridWidth, originX, originY, cellWidth, cellHeight, out Span<float> dst);
        Assert.True(index >= 0);
        cells.CopyTo(dst);
        Assert.True(set.TryAdd(new Detection(box, classId, score, index)));
    }

    public static SemanticMap Semantic(int width, int height, float originX, float originY, float cellWidth, float cellHeight, params byte[] classes)
    {
        var map = new SemanticMap();
        map.Reset(width, height, originX, originY, cellWidth, cellHeight);
        classes.CopyTo(map.Classes);
        return map;
    }

    /// <summary>The map as rows of digits (ids below 10), joined by '|', e.g. "0110|0110|0000".</summary>
    public static string MapText(PanopticFrame frame)
    {
        var sb = new StringBuilder();
        for (int v = 0; v < frame.MapHeight; v++)
        {
            if (v > 0)
            {
                sb.Append('|');
            }
            for (int u = 0; u < frame.MapWidth; u++)
            {
                ushort id = frame.Map[v * frame.MapWidth + u];
                sb.Append(id < 10 ? (char)('0' + id) : '#');
            }
        }
        return sb.ToString();
    }

    public static PanopticSegment Segment(PanopticFrame frame, int id)
    {
        foreach (PanopticSegment s in frame.Segments)
        {
            if (s.Id == id)
            {
                return s;
            }
        }
        throw new Xunit.Sdk.XunitException($"no segment {id}");
    }
}
