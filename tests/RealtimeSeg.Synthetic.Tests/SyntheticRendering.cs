using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Synthetic.Tests;

/// <summary>Small scenes and helpers shared by the synthetic-drive tests; frames are small to keep the suite fast.</summary>
internal static class SyntheticRendering
{
    public static SyntheticDriveOptions Small(long seed = 1, double density = 0.5)
        => new() { Seed = seed, Width = 320, Height = 180, Density = density };

    /// <summary>Renders frame <paramref name="frame"/> into a fresh tightly packed BGR array.</summary>
    public static byte[] Image(SyntheticDriveScene scene, long frame, SyntheticGroundTruth? truth = null)
    {
        byte[] bgr = new byte[scene.Width * 3 * scene.Height];
        scene.Render(frame, bgr, scene.Width * 3, truth);
        return bgr;
    }

    /// <summary>Copies what a reader should compare of a truth: the map and the segment list.</summary>
    public static (ushort[] Map, SyntheticSegment[] Segments) Snapshot(SyntheticGroundTruth truth)
        => (truth.Map.ToArray(), truth.Segments.ToArray());

    /// <summary>Recounts a map the slow, obvious way: area, inclusive box and pixel sums per id.</summary>
    public static Dictionary<int, (int Area, int MinX, int MinY, int MaxX, int MaxY, long SumX, long SumY)> Recount(SyntheticGroundTruth truth)
    {
        var counts = new Dictionary<int, (int Area, int MinX, int MinY, int MaxX, int MaxY, long SumX, long SumY)>();
        ReadOnlySpan<ushort> map = truth.Map;
        for (int y = 0; y < truth.Height; y++)
        {
            for (int x = 0; x < truth.Width; x++)
            {
                int id = map[(y * truth.Width) + x];
                counts.TryGetValue(id, out var c);
                counts[id] = c.Area == 0
                    ? (1, x, y, x, y, x, y)
                    : (c.Area + 1, Math.Min(c.MinX, x), Math.Min(c.MinY, y), Math.Max(c.MaxX, x), Math.Max(c.MaxY, y), c.SumX + x, c.SumY + y);
            }
        }
        return counts;
    }
}
