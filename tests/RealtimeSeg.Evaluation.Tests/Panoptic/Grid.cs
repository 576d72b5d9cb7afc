using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Tests.Panoptic;

/// <summary>
/// Tiny id maps drawn as text: '.' is void (0), '1'…'9' are ids 1…9, 'a'…'z' are ids 10…35. Segment lists get their
/// areas counted from the map they describe, as a well-formed ground truth has them.
/// </summary>
internal static class Grid
{
    public static readonly CocoCategory Car = new(1, "car", IsThing: true);
    public static readonly CocoCategory Person = new(2, "person", IsThing: true);
    public static readonly CocoCategory Road = new(10, "road", IsThing: false);
    public static readonly CocoCategory Sky = new(11, "sky", IsThing: false);
    public static readonly CocoCategory[] Categories = [Car, Person, Road, Sky];

    public static IdMap Map(params string[] rows)
    {
        var map = new IdMap(rows[0].Length, rows.Length);
        for (int y = 0; y < rows.Length; y++)
        {
            if (rows[y].Length != map.Width)
            {
                throw new ArgumentException("rows differ in length", nameof(rows));
            }
            for (int x = 0; x < map.Width; x++)
            {
                map[x, y] = Id(rows[y][x]);
            }
        }
        return map;
    }

    public static int Id(char c) => c switch
    {
        '.' => 0,
        >= '1' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        _ => throw new ArgumentException($"'{c}' is not a map symbol", nameof(c)),
    };

    /// <summary>A segment for symbol <paramref name="symbol"/> with its pixel count in <paramref name="map"/> as area.</summary>
    public static CocoSegmentInfo Seg(IdMap map, char symbol, CocoCategory category, bool crowd = false, int? track = null)
    {
        int id = Id(symbol);
        long area = 0;
        foreach (int v in map.Ids)
        {
            area += v == id ? 1 : 0;
        }
        return new CocoSegmentInfo { Id = id, CategoryId = category.Id, IsCrowd = crowd, Area = area, TrackId = track };
    }
}
