using System.Diagnostics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Panoptic;

/// <summary>
/// Samples a <see cref="SemanticMap"/> at map resolution (nearest: the semantic cell containing each map pixel's
/// sample point, see <see cref="MapGeometry"/>) and hands each stuff class's void pixels to its segment. Works on runs of equal class along a
/// semantic row, so the per-pixel work is the vectorised span search and fill.
/// </summary>
internal sealed class StuffRasterizer
{
    private int[] _semCol = [];        // per map column: semantic column of its centre, −1 outside the semantic map
    private int[] _firstColOfSem = []; // per semantic column s (and W): first map column whose semantic column ≥ s
    private int _uFirst;
    private int _uLast = -1;

    /// <summary>Builds the column tables for this semantic map and map geometry.</summary>
    public void Prepare(SemanticMap semantic, int mapWidth, int divisor, int imageWidth)
    {
        if (_semCol.Length < mapWidth)
        {
            _semCol = new int[mapWidth];
        }
        if (_firstColOfSem.Length < semantic.Width + 1)
        {
            _firstColOfSem = new int[semantic.Width + 1];
        }
        _uFirst = -1;
        _uLast = -1;
        float inv = 1f / semantic.CellWidth;
        for (int u = 0; u < mapWidth; u++)
        {
            int s = (int)MathF.Floor((MapGeometry.SampleCoord(u, divisor, imageWidth) - semantic.OriginX) * inv);
            bool inside = s >= 0 && s < semantic.Width;
            _semCol[u] = inside ? s : -1;
            if (inside)
            {
                _uFirst = _uFirst < 0 ? u : _uFirst;
                _uLast = u;
            }
        }
        if (_uFirst < 0)
        {
            return;
        }
        // Semantic columns are non-decreasing across the valid map columns; invert that mapping.
        int col = _uFirst;
        for (int s = 0; s <= semantic.Width; s++)
        {
            while (col <= _uLast && _semCol[col] < s)
            {
                col++;
            }
            _firstColOfSem[s] = col;
        }
    }

    /// <summary>
    /// One pass over the map. Counting (<paramref name="write"/> false) accumulates every stuff slot's void pixels
    /// into <paramref name="stats"/> and records slots in order of first appearance; writing sets them to the
    /// slot's id where <paramref name="idOfSlot"/> is non-zero. The map must not change between the two passes.
    /// </summary>
    public void Pass(SemanticMap semantic, Span<ushort> map, int mapWidth, int mapHeight, int divisor, int imageHeight, ReadOnlySpan<int> slotOfClass,
        Span<SegmentAccumulator> stats, ReadOnlySpan<ushort> idOfSlot, bool write, Span<int> firstSeen, ref int firstSeenCount)
    {
        if (_uFirst < 0)
        {
            return;
        }
        ReadOnlySpan<byte> classes = semantic.Classes;
        int semLast = _semCol[_uLast];
        float inv = 1f / semantic.CellHeight;
        for (int v = 0; v < mapHeight; v++)
        {
            int sv = (int)MathF.Floor((MapGeometry.SampleCoord(v, divisor, imageHeight) - semantic.OriginY) * inv);
            if (sv < 0 || sv >= semantic.Height)
            {
                continue;
            }
            ReadOnlySpan<byte> semRow = classes.Slice(sv * semantic.Width, semLast + 1);
            Span<ushort> mapRow = map.Slice(v * mapWidth, mapWidth);
            bool isLastRow = v == mapHeight - 1;
            int u = _uFirst;
            while (u <= _uLast)
            {
                int s = _semCol[u];
                byte cls = semRow[s];
                int other = semRow[(s + 1)..].IndexOfAnyExcept(cls);
                int sEnd = other < 0 ? semLast + 1 : s + 1 + other;
                int uEnd = _firstColOfSem[sEnd];
                Debug.Assert(uEnd > u, "every run covers at least the column it starts at");
                int slot = slotOfClass[cls];
                if (slot >= 0)
                {
                    if (!write)
                    {
                        bool wasEmpty = stats[slot].Count == 0;
                        MapRuns.ClaimVoid(mapRow, u, uEnd, v, isLastRow, 0, write: false, ref stats[slot]);
                        if (wasEmpty && stats[slot].Count > 0)
                        {
                            firstSeen[firstSeenCount++] = slot;
                        }
                    }
                    else if (idOfSlot[slot] != 0)
                    {
                        // The counting pass already produced the statistics; these would only repeat them.
                        SegmentAccumulator discard = default;
                        MapRuns.ClaimVoid(mapRow, u, uEnd, v, isLastRow, idOfSlot[slot], write: true, ref discard);
                    }
                }
                u = uEnd;
            }
        }
    }
}
