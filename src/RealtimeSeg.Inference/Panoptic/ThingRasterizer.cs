using System.Diagnostics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Panoptic;

/// <summary>
/// Paints one thing into the map: the map pixels inside its box where its soft mask, sampled bilinearly at the
/// pixel centre, reaches the threshold (or the whole box when there is no mask). Only void pixels are taken.
/// Buffers grow to the largest box seen and are then reused.
/// </summary>
internal sealed class ThingRasterizer
{
    private int[] _colCell = [];     // per box column: left cell of its bilinear pair
    private float[] _colWeight = []; // per box column: weight of the right cell
    private int[] _colStartOfCell = []; // per cell p from the box's first (and one past the last): its first box column
    private float[] _row = [];          // the mask row interpolated vertically for the current map row
    private ulong[] _bits = [];         // which cells of _row reach the threshold

    public static void PaintBox(Span<ushort> map, int mapWidth, MapRect rect, ushort id, ref SegmentAccumulator stats)
    {
        int lastRow = map.Length / mapWidth - 1;
        for (int v = rect.V0; v < rect.V1; v++)
        {
            MapRuns.ClaimVoid(map.Slice(v * mapWidth, mapWidth), rect.U0, rect.U1, v, v == lastRow, id, write: true, ref stats);
        }
    }

    public void PaintMask(Span<ushort> map, int mapWidth, int divisor, int imageWidth, int imageHeight, MapRect rect, in MaskGrid grid,
        ReadOnlySpan<float> cells, float threshold, ushort id, ref SegmentAccumulator stats)
    {
        Debug.Assert(!rect.IsEmpty && cells.Length >= grid.CellCount);
        int lastMapRow = map.Length / mapWidth - 1;
        int width = rect.Width;
        EnsureCapacity(width, grid.Width);

        // Columns: where each pixel's sample point falls between cell centres. Outside the outer centres the edge
        // cell is used as is (weight 0), the usual clamp-to-edge bilinear sampling.
        int lastCell = grid.Width - 1;
        float invCellWidth = 1f / grid.CellWidth;
        for (int k = 0; k < width; k++)
        {
            float fx = (MapGeometry.SampleCoord(rect.U0 + k, divisor, imageWidth) - grid.OriginX) * invCellWidth - 0.5f;
            (_colCell[k], _colWeight[k]) = Split(fx, lastCell);
        }
        int cellLo = _colCell[0];
        int cellHi = Math.Min(_colCell[width - 1] + 1, lastCell);
        int span = cellHi - cellLo + 1;
        // First box column whose left cell is ≥ cellLo + p, for p = 0 … span.
        for (int p = 0, k = 0; p <= span; p++)
        {
            while (k < width && _colCell[k] < cellLo + p)
            {
                k++;
            }
            _colStartOfCell[p] = k;
        }

        int lastRow = grid.Height - 1;
        float invCellHeight = 1f / grid.CellHeight;
        Span<float> row = _row.AsSpan(0, span);
        Span<ulong> bits = _bits.AsSpan(0, (span + 63) >> 6);
        for (int v = rect.V0; v < rect.V1; v++)
        {
            float fy = (MapGeometry.SampleCoord(v, divisor, imageHeight) - grid.OriginY) * invCellHeight - 0.5f;
            (int j0, float wy) = Split(fy, lastRow);
            int j1 = Math.Min(j0 + 1, lastRow);
            if (!MaskRowThreshold.Interpolate(cells.Slice(j0 * grid.Width + cellLo, span), cells.Slice(j1 * grid.Width + cellLo, span), wy, threshold, row, bits))
            {
                continue; // no cell reaches the threshold, so no sample between them can
            }
            PaintRow(map.Slice(v * mapWidth, mapWidth), rect.U0, width, v, v == lastMapRow, row, bits, threshold, id, ref stats);
        }
    }

    /// <summary>
    /// Between two cell centres the sample is linear, so where both cells are on the same side of the threshold so
    /// is every column between them: those stretches are decided at once, and only the columns between a cell
    /// below and a cell above the threshold (a transition) are evaluated one by one.
    /// </summary>
    private void PaintRow(Span<ushort> mapRow, int u0, int width, int v, bool isLastRow, ReadOnlySpan<float> row, ReadOnlySpan<ulong> bits,
        float threshold, ushort id, ref SegmentAccumulator stats)
    {
        int span = row.Length;
        int col = 0;
        int runStart = -1;
        for (int p = MaskRowThreshold.NextTransition(bits, 0, span); p >= 0; p = MaskRowThreshold.NextTransition(bits, p + 1, span))
        {
            int mixedFrom = _colStartOfCell[p];
            int mixedTo = _colStartOfCell[p + 1];
            if (mixedFrom > col)
            {
                // Columns up to here lie between cells that all share cell p's side of the threshold.
                Decide(MaskRowThreshold.Get(bits, p), col, ref runStart, mapRow, u0, v, isLastRow, id, ref stats);
            }
            float a = row[p], b = row[p + 1];
            for (int k = mixedFrom; k < mixedTo; k++)
            {
                Decide(a + (b - a) * _colWeight[k] >= threshold, k, ref runStart, mapRow, u0, v, isLastRow, id, ref stats);
            }
            col = Math.Max(col, mixedTo);
        }
        if (col < width)
        {
            Decide(MaskRowThreshold.Get(bits, span - 1), col, ref runStart, mapRow, u0, v, isLastRow, id, ref stats);
        }
        Flush(mapRow, u0, ref runStart, width, v, isLastRow, id, ref stats);
    }

    private static void Decide(bool inside, int column, ref int runStart, Span<ushort> mapRow, int u0, int v, bool isLastRow, ushort id,
        ref SegmentAccumulator stats)
    {
        if (inside)
        {
            if (runStart < 0)
            {
                runStart = column;
            }
        }
        else
        {
            Flush(mapRow, u0, ref runStart, column, v, isLastRow, id, ref stats);
        }
    }

    /// <summary>Integer cell and fractional weight of a continuous cell coordinate, clamped to the grid's edges.</summary>
    private static (int Cell, float Weight) Split(float f, int lastCell)
    {
        if (!(f > 0f))
        {
            return (0, 0f); // also NaN
        }
        if (f >= lastCell)
        {
            return (lastCell, 0f);
        }
        int cell = (int)f;
        return (cell, f - cell);
    }

    private static void Flush(Span<ushort> mapRow, int u0, ref int runStart, int end, int v, bool isLastRow, ushort id, ref SegmentAccumulator stats)
    {
        if (runStart < 0)
        {
            return;
        }
        MapRuns.ClaimVoid(mapRow, u0 + runStart, u0 + end, v, isLastRow, id, write: true, ref stats);
        runStart = -1;
    }

    private void EnsureCapacity(int columns, int cells)
    {
        if (_colCell.Length < columns)
        {
            _colCell = new int[columns];
            _colWeight = new float[columns];
        }
        if (_row.Length < cells)
        {
            _row = new float[cells];
            _colStartOfCell = new int[cells + 1];
            _bits = new ulong[(cells + 63) >> 6];
        }
    }
}
