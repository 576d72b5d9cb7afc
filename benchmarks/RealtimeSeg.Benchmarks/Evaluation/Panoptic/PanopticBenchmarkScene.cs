using RealtimeSeg.Core;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Benchmarks.Evaluation.Panoptic;

/// <summary>
/// A deterministic 1280x720 driving-like panoptic scene for the evaluation benchmarks: sky, buildings, road and
/// sidewalk bands (stuff) and 20 cars and pedestrians (things, with track ids), as an id map plus segments_info, and
/// the same scene as a composer-style <see cref="PanopticFrame"/> at a quarter of the resolution.
/// </summary>
internal static class PanopticBenchmarkScene
{
    public const int Width = 1280;
    public const int Height = 720;
    public const int Instances = 20;

    public static readonly CocoCategory[] Categories =
    [
        new(1, "car", true), new(2, "person", true), new(10, "road", false), new(11, "sidewalk", false), new(12, "building", false), new(13, "sky", false),
    ];

    public static CategoryTable Table => new([.. Categories.Select(c => new Category(c.Id, c.Name, c.IsThing, c.Color ?? 0))]);

    /// <summary>The scene with its things moved by <paramref name="shift"/> pixels and track ids offset by <paramref name="trackOffset"/>.</summary>
    public static (IdMap Map, CocoSegmentInfo[] Segments) Build(int shift, int trackOffset)
    {
        var map = new IdMap(Width, Height);
        Span<int> ids = map.Ids;
        for (int y = 0; y < Height; y++)
        {
            int stuff = y < 200 ? 1 : y < 330 ? 2 : y < 380 ? 3 : 4;
            ids.Slice(y * Width, Width).Fill(stuff);
        }
        var random = new Random(42);
        var segments = new List<CocoSegmentInfo>
        {
            new() { Id = 1, CategoryId = 13 }, new() { Id = 2, CategoryId = 12 }, new() { Id = 3, CategoryId = 11 }, new() { Id = 4, CategoryId = 10 },
        };
        for (int k = 0; k < Instances; k++)
        {
            bool car = k % 4 != 3;
            int w = car ? random.Next(60, 220) : random.Next(20, 45), h = car ? w * 3 / 5 : w * 5 / 2;
            int cx = random.Next(w, Width - w) + shift, cy = random.Next(380, Height - h / 2);
            int id = 100 + k;
            // Ellipses painted in order, later ones occluding earlier ones.
            for (int y = Math.Max(0, cy - h / 2); y < Math.Min(Height, cy + h / 2); y++)
            {
                double dy = (y - cy) / (h / 2.0);
                int half = (int)(w / 2.0 * Math.Sqrt(Math.Max(0, 1 - dy * dy)));
                int x0 = Math.Max(0, cx - half), x1 = Math.Min(Width, cx + half);
                if (x1 > x0)
                {
                    ids.Slice(y * Width + x0, x1 - x0).Fill(id);
                }
            }
            segments.Add(new CocoSegmentInfo { Id = id, CategoryId = car ? 1 : 2, TrackId = k + 1 + trackOffset });
        }
        var area = new Dictionary<int, long>();
        foreach (int id in ids)
        {
            area[id] = area.GetValueOrDefault(id) + 1;
        }
        CocoSegmentInfo[] present = [.. segments.Where(s => area.ContainsKey(s.Id)).Select(s => s with { Area = area[s.Id] })];
        return (map, present);
    }

    /// <summary>The scene as a 320x180 composer frame (map divisor 4) with the same segments.</summary>
    public static PanopticFrame Frame()
    {
        (IdMap full, CocoSegmentInfo[] segments) = Build(shift: 0, trackOffset: 0);
        var frame = new PanopticFrame();
        frame.Reset(Width / 4, Height / 4);
        frame.ImageWidth = Width;
        frame.ImageHeight = Height;
        for (int v = 0; v < Height / 4; v++)
        {
            for (int u = 0; u < Width / 4; u++)
            {
                frame.Map[v * (Width / 4) + u] = (ushort)full[u * 4 + 2, v * 4 + 2];
            }
        }
        foreach (CocoSegmentInfo s in segments)
        {
            ref PanopticSegment seg = ref frame.AddSegment();
            seg.Id = s.Id;
            seg.CategoryId = s.CategoryId;
            seg.IsThing = s.CategoryId is 1 or 2;
            seg.TrackId = s.TrackId ?? 0;
        }
        return frame;
    }
}
