using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Tests.Panoptic;

/// <summary>
/// The label maps of deeplab2's STQ unit tests (semantic class and instance per pixel), and their encoding as COCO
/// panoptic id maps: one segment per (class, instance); things carry the instance as <c>track_id</c>; a ground-truth
/// thing pixel with instance 0 is crowd, as the reference treats it.
/// </summary>
internal static class ReferenceFrames
{
    public static readonly CocoCategory[] BasicCategories = [new(1, "cars", IsThing: true), new(2, "sky", IsThing: false)];

    public static readonly CocoCategory[] ComplexCategories =
        [new(1, "sky", IsThing: false), new(2, "vegetation", IsThing: false), new(3, "cars", IsThing: true)];

    public static readonly int[][][] ComplexGtSemantic =
    [
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 2, 0, 1, 1, 1], [0, 2, 2, 2, 2, 1, 1, 1],
         [2, 2, 2, 2, 2, 2, 1, 1], [2, 2, 2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 2, 1, 1]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 2, 0, 0, 1, 1, 0, 0], [2, 2, 2, 1, 1, 1, 1, 0],
         [2, 2, 2, 2, 1, 1, 1, 1], [2, 2, 2, 2, 2, 1, 1, 1], [2, 2, 2, 2, 2, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1, 1]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [2, 0, 1, 1, 1, 0, 0, 0],
         [2, 2, 1, 1, 1, 1, 0, 0], [2, 2, 2, 1, 1, 1, 1, 0], [2, 2, 2, 1, 1, 1, 1, 1], [2, 2, 2, 1, 1, 1, 1, 1]],
    ];

    public static readonly int[][][] ComplexGtInstance =
    [
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 2, 0, 0, 0, 0], [0, 2, 2, 2, 2, 0, 0, 0],
         [2, 2, 2, 2, 2, 2, 0, 0], [2, 2, 2, 2, 2, 2, 2, 0], [2, 2, 2, 2, 2, 2, 2, 0], [2, 2, 2, 2, 2, 2, 0, 0]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0, 0, 0], [2, 2, 2, 0, 0, 0, 0, 0],
         [2, 2, 2, 2, 0, 0, 0, 0], [2, 2, 2, 2, 2, 0, 0, 0], [2, 2, 2, 2, 2, 0, 0, 0], [2, 2, 2, 2, 0, 0, 0, 0]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0, 0],
         [2, 2, 0, 0, 0, 0, 0, 0], [2, 2, 2, 0, 0, 0, 0, 0], [2, 2, 2, 0, 0, 0, 0, 0], [2, 2, 2, 0, 0, 0, 0, 0]],
    ];

    public static readonly int[][][] ComplexPredSemantic =
    [
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 2, 2, 1, 1, 1],
         [0, 2, 2, 2, 2, 2, 1, 1], [2, 2, 2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 2, 2, 1]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 0, 0], [0, 2, 2, 2, 1, 1, 1, 1],
         [2, 2, 2, 2, 1, 1, 1, 1], [2, 2, 2, 2, 2, 1, 1, 1], [2, 2, 2, 2, 2, 2, 1, 1], [2, 2, 2, 2, 2, 1, 1, 1]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 0],
         [2, 2, 2, 1, 1, 1, 0, 0], [2, 2, 2, 1, 1, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1, 1]],
    ];

    public static readonly int[][][] ComplexPredInstance =
    [
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 2, 2, 0, 0, 0],
         [0, 2, 2, 2, 2, 1, 0, 0], [2, 2, 2, 2, 2, 1, 1, 0], [2, 2, 2, 2, 1, 1, 1, 0], [2, 2, 2, 2, 1, 1, 1, 0]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 2, 2, 2, 0, 0, 0, 0],
         [2, 2, 2, 2, 0, 0, 0, 0], [2, 2, 2, 2, 2, 0, 0, 0], [2, 2, 2, 2, 1, 1, 0, 0], [2, 2, 2, 2, 1, 0, 0, 0]],
        [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0],
         [2, 2, 2, 0, 0, 0, 0, 0], [2, 2, 2, 0, 0, 0, 0, 0], [2, 2, 2, 2, 0, 0, 0, 0], [2, 2, 2, 2, 0, 0, 0, 0]],
    ];

    /// <summary>Turns class/instance arrays (class index into <paramref name="categories"/>) into an id map and segments.</summary>
    public static (IdMap Map, CocoSegmentInfo[] Segments) Encode(int[][] semantic, int[][] instance, CocoCategory[] categories, bool groundTruth)
    {
        int height = semantic.Length, width = semantic[0].Length;
        var map = new IdMap(width, height);
        var idOf = new Dictionary<(int, int), int>();
        var area = new Dictionary<int, long>();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                CocoCategory c = categories[semantic[y][x]];
                (int, int) key = (semantic[y][x], c.IsThing ? instance[y][x] : 0);
                if (!idOf.TryGetValue(key, out int id))
                {
                    id = idOf.Count + 1;
                    idOf[key] = id;
                }
                map[x, y] = id;
                area[id] = area.GetValueOrDefault(id) + 1;
            }
        }
        CocoSegmentInfo[] segments = [.. idOf.Select(pair =>
        {
            CocoCategory c = categories[pair.Key.Item1];
            return new CocoSegmentInfo
            {
                Id = pair.Value,
                CategoryId = c.Id,
                IsCrowd = groundTruth && c.IsThing && pair.Key.Item2 == 0,
                Area = area[pair.Value],
                TrackId = c.IsThing ? pair.Key.Item2 : null,
            };
        })];
        return (map, segments);
    }
}
