using RealtimeSeg.Core;

namespace RealtimeSeg.Benchmarks.Protocol;

/// <summary>
/// A road-scene panoptic frame for protocol benchmarks: sky and road stuff bands and elliptical things, like a
/// composed driving frame (long runs in the stuff bands, short ones across objects).
/// </summary>
internal static class BenchmarkScene
{
    public static PanopticFrame Create(int mapWidth, int mapHeight, int segments)
    {
        var frame = new PanopticFrame(mapWidth * mapHeight, segments);
        frame.Reset(mapWidth, mapHeight);
        frame.StreamName = "s0";
        frame.Sequence = 123_456;
        frame.CaptureUtcNs = 1_750_000_000_000_000_000;
        frame.CaptureMonotonicNs = 9_000_000_000;
        for (int s = 0; s < PipelineStages.Count; s++)
        {
            frame.StageNs[s] = frame.CaptureMonotonicNs + s * 1_000_000;
        }
        frame.ImageWidth = mapWidth * 2;
        frame.ImageHeight = mapHeight * 2;
        frame.CategoryTableVersion = 0x05c60d02;

        Span<ushort> map = frame.Map;
        int skyEnd = mapHeight * 2 / 5, roadStart = mapHeight * 3 / 5;
        for (int y = 0; y < mapHeight; y++)
        {
            map.Slice(y * mapWidth, mapWidth).Fill((ushort)(y < skyEnd ? 1 : y >= roadStart ? 2 : 0));
        }
        for (int id = 1; id <= segments; id++)
        {
            ref PanopticSegment seg = ref frame.AddSegment();
            seg.Id = id;
            seg.IsThing = id > 2;
            seg.CategoryId = id > 2 ? 3 : 100 + id;
            seg.TrackId = id > 2 ? 1000 + id : 0;
            seg.Score = 0.9f;
            seg.Area = 1000 * id;
            seg.VelocityX = id * 1.5f;
            seg.AgeFrames = id * 3;
            if (id <= 2)
            {
                continue;
            }
            int t = id - 3;
            int cx = (int)((t * 0.618034 % 1.0) * mapWidth), cy = skyEnd + (int)((t * 0.414214 % 1.0) * (roadStart - skyEnd + mapHeight / 5));
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
            (seg.BboxX, seg.BboxY, seg.BboxWidth, seg.BboxHeight) = (2 * (cx - rx), 2 * (cy - ry), 4 * rx, 4 * ry);
            (seg.CentroidX, seg.CentroidY) = (2 * cx, 2 * cy);
        }
        return frame;
    }
}
