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
    /// <summary>Marks in the id table a slot that appeared when no ids were left.</summary>
    internal const ushort LeftOut = ushort.MaxValue;

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
    /// Gives every void map pixel whose class maps to a stuff slot that slot's id, accumulating each slot's
    /// statistics. A slot gets its id, <paramref name="firstId"/> + k for the k-th slot to appear in raster order,
    /// when its first void pixel is met, so ids come out in creation order in a single pass. Slots beyond
    /// <paramref name="maxNewIds"/> are left out (their pixels stay void).
    /// </summary>
    /// <returns>How many slots were left out for lack of ids.</returns>
    public int Pass(SemanticMap semantic, Span<ushort> map, int mapWidth, int mapHeight, int divisor, int imageHeight, ReadOnlySpan<int> slotOfClass,
        Span<SegmentAccumulator> stats, Span<ushort> idOfSlot, Span<int> firstSeen, ref int firstSeenCount, int firstId, int maxNewIds)
    {
        if (_uFirst < 0)
        {
            return 0;
        }
        int leftOut = 0;
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
                    ushort id = idOfSlot[slot];
                    if (id == 0 && mapRow[u..uEnd].Contains((ushort)0))
                    {
                        if (firstSeenCount < maxNewIds)
                        {
                            id = (ushort)(firstId + firstSeenCount);
                            firstSeen[firstSeenCount++] = slot;
                        }
                        else
                        {
                            id = LeftOut;
                            leftOut++;
                        }
                        idOfSlot[slot] = id;
                    }
                    if (id is not (0 or LeftOut))
                    {
                        MapRuns.ClaimVoid(mapRow, u, uEnd, v, isLastRow, id, write: true, ref stats[slot]);
                    }
                }
                u = uEnd;
            }
        }
        return leftOut;
    }
}
