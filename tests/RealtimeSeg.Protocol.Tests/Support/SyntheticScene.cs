using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol.Tests.Support;

/// <summary>
/// Deterministic road-scene panoptic frames for tests that must not depend on the shared assets:
/// sky and road stuff bands plus elliptical "car"/"person" things, every field set to a distinct value.
/// </summary>
public static class SyntheticScene
{
    public static readonly CategoryTable Categories = new(
    [
        new Category(1, "person", true, 0xDC143C),
        new Category(3, "car", true, 0x00008E),
        new Category(100, "road", false, 0x804080),
        new Category(101, "sky", false, 0x4682B4),
    ]);

    /// <summary>The run id written on every scene frame (a v2 run id: 16 lowercase hex digits).</summary>
    public const string Run = "5eed00000000c0de";

    public static PanopticFrame Create(int mapWidth, int mapHeight, int things, long sequence = 0, string stream = "s0", int scale = 2)
    {
        var frame = new PanopticFrame();
        Fill(frame, mapWidth, mapHeight, things, sequence, stream, scale);
        return frame;
    }

    public static void Fill(PanopticFrame frame, int mapWidth, int mapHeight, int things, long sequence = 0, string stream = "s0", int scale = 2)
    {
        frame.Reset(mapWidth, mapHeight);
        frame.StreamName = stream;
        frame.Sequence = sequence;
        frame.CaptureUtcNs = 1_750_000_000_000_000_000 + sequence * 33_333_333;
        frame.CaptureMonotonicNs = 9_000_000_000 + sequence * 33_333_333;
        frame.Run = Run;
        frame.MediaNs = sequence * 33_333_333;
        for (int s = 0; s < PipelineStages.Count; s++)
        {
            frame.StageNs[s] = frame.CaptureMonotonicNs + s * 1_000_000 + 17;
        }
        frame.ImageWidth = mapWidth * scale;
        frame.ImageHeight = mapHeight * scale;
        frame.CategoryTableVersion = Categories.Version;

        Span<ushort> map = frame.Map;
        int skyEnd = mapHeight * 2 / 5, roadStart = mapHeight * 3 / 5;
        for (int y = 0; y < mapHeight; y++)
        {
            map.Slice(y * mapWidth, mapWidth).Fill((ushort)(y < skyEnd ? 1 : y >= roadStart ? 2 : 0));
        }
        AddStuff(frame, 1, 101);
        AddStuff(frame, 2, 100);

        for (int t = 0; t < things; t++)
        {
            int id = 3 + t;
            // Spread centres over the middle band with a fixed pseudo-random walk.
            int cx = (int)((t * 0.618034 % 1.0) * mapWidth);
            int cy = skyEnd + (int)((t * 0.414214 % 1.0) * Math.Max(1, roadStart - skyEnd + mapHeight / 5));
            int rx = 4 + t % 7 * Math.Max(1, mapWidth / 64), ry = 3 + t % 5 * Math.Max(1, mapHeight / 48);
            for (int y = Math.Max(0, cy - ry); y <= Math.Min(mapHeight - 1, cy + ry); y++)
            {
                for (int x = Math.Max(0, cx - rx); x <= Math.Min(mapWidth - 1, cx + rx); x++)
                {
                    double dx = (x - cx) / (double)rx, dy = (y - cy) / (double)ry;
                    if (dx * dx + dy * dy <= 1.0)
                    {
                        map[y * mapWidth + x] = (ushort)id;
                    }
                }
            }
            ref PanopticSegment s = ref frame.AddSegment();
            s.Id = id;
            s.CategoryId = t % 3 == 0 ? 1 : 3;
            s.IsThing = true;
            s.TrackId = 500 + t * 7;
            s.Score = 0.5f + t % 50 / 100f;
            s.VelocityX = (t - 10) * 3.25f;
            s.VelocityY = t * -0.5f;
            s.AgeFrames = t * 11;
            s.Flags = t % 4 == 3 ? SegmentFlags.BoxMask : SegmentFlags.None;
        }
        // Geometry comes from the final map, after later things may have covered earlier ones.
        ComputeGeometry(frame, scale);
    }

    private static void AddStuff(PanopticFrame frame, int id, int category)
    {
        ref PanopticSegment s = ref frame.AddSegment();
        s.Id = id;
        s.CategoryId = category;
        s.IsThing = false;
        s.Score = 0.99f;
    }

    /// <summary>Sets bbox, area and centroid of every segment from the map, in image pixels.</summary>
    private static void ComputeGeometry(PanopticFrame frame, int scale)
    {
        int w = frame.MapWidth, h = frame.MapHeight;
        ReadOnlySpan<ushort> map = frame.Map;
        foreach (ref PanopticSegment s in frame.Segments)
        {
            int area = 0, minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
            double sx = 0, sy = 0;
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    if (map[y * w + x] == s.Id)
                    {
                        area++;
                        sx += x + 0.5;
                        sy += y + 0.5;
                        minX = Math.Min(minX, x);
                        maxX = Math.Max(maxX, x);
                        minY = Math.Min(minY, y);
                        maxY = Math.Max(maxY, y);
                    }
                }
            }
            if (area == 0)
            {
                continue;
            }
            s.Area = area * scale * scale;
            s.BboxX = minX * scale;
            s.BboxY = minY * scale;
            s.BboxWidth = (maxX - minX + 1) * scale;
            s.BboxHeight = (maxY - minY + 1) * scale;
            s.CentroidX = (float)(sx / area * scale);
            s.CentroidY = (float)(sy / area * scale);
        }
    }
}
