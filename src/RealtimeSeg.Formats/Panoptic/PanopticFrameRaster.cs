using System.Buffers;
using RealtimeSeg.Core;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// Scales a <see cref="PanopticFrame"/>'s segment-id map to an output resolution by nearest neighbour.
/// When the map is the composer's image-divided-by-d grid — one integer d with map = ⌈output / d⌉ on both axes (the
/// smallest such d) — output pixel x takes map pixel ⌊x / d⌋, exactly the map pixel whose cell [u·d, (u+1)·d)
/// contains it. Otherwise (arbitrary ratios, shrinking) it takes the map pixel under its centre: ⌊(x + ½) · map / output⌋.
/// </summary>
public static class PanopticFrameRaster
{
    /// <summary>Writes the frame's ids at <paramref name="width"/>×<paramref name="height"/> into <paramref name="into"/> (reset to that size).</summary>
    public static void Rasterize(PanopticFrame frame, int width, int height, IdMap into)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(into);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        into.Reset(width, height);
        Span<int> ids = into.Ids;
        int mapWidth = frame.MapWidth, mapHeight = frame.MapHeight;
        if (mapWidth == 0 || mapHeight == 0)
        {
            ids.Clear();
            return;
        }
        ReadOnlySpan<ushort> map = frame.Map;
        int divisor = BlockDivisor(width, height, mapWidth, mapHeight);
        int[] columns = ArrayPool<int>.Shared.Rent(width);
        try
        {
            for (int x = 0; x < width; x++)
            {
                columns[x] = SourceIndex(x, width, mapWidth, divisor);
            }
            int lastV = -1;
            for (int y = 0; y < height; y++)
            {
                int v = SourceIndex(y, height, mapHeight, divisor);
                Span<int> row = ids.Slice(y * width, width);
                if (v == lastV)
                {
                    ids.Slice((y - 1) * width, width).CopyTo(row);
                    continue;
                }
                lastV = v;
                ReadOnlySpan<ushort> source = map.Slice(v * mapWidth, mapWidth);
                for (int x = 0; x < width; x++)
                {
                    row[x] = source[columns[x]];
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
        }
    }

    /// <summary>The smallest d with ⌈width / d⌉ = mapWidth and ⌈height / d⌉ = mapHeight, or 0 when there is none.</summary>
    internal static int BlockDivisor(int width, int height, int mapWidth, int mapHeight)
    {
        int d = Math.Max((width + mapWidth - 1) / mapWidth, (height + mapHeight - 1) / mapHeight);
        return (width + d - 1) / d == mapWidth && (height + d - 1) / d == mapHeight ? d : 0;
    }

    /// <summary>The map index output index <paramref name="x"/> reads along one axis; <paramref name="divisor"/> from <see cref="BlockDivisor"/>.</summary>
    internal static int SourceIndex(int x, int outputExtent, int mapExtent, int divisor)
    {
        if (divisor > 0)
        {
            return Math.Min(x / divisor, mapExtent - 1);
        }
        long scaled = ((2L * x + 1) * mapExtent) / (2L * outputExtent);
        return (int)Math.Min(scaled, mapExtent - 1);
    }
}
