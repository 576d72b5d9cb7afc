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
    private int[] _groupStart = [];  // box columns where the left cell changes, plus an end sentinel
    private float[] _row = [];       // the mask row interpolated vertically for the current map row

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
        int lastMapRow = map.Length / mapWidth - 1;
        Debug.Assert(!rect.IsEmpty && cells.Length >= grid.CellCount);
        int width = rect.Width;
        EnsureCapacity(width, grid.Width);

        // Columns: where each pixel centre falls between cell centres. Outside the outer centres the edge cell is
        // used as is (weight 0), the usual clamp-to-edge bilinear sampling.
        int lastCell = grid.Width - 1;
        float invCellWidth = 1f / grid.CellWidth;
        int groups = 0;
        for (int k = 0; k < width; k++)
        {
            float fx = (MapGeometry.SampleCoord(rect.U0 + k, divisor, imageWidth) - grid.OriginX) * invCellWidth - 0.5f;
            (int cell, float weight) = Split(fx, lastCell);
            _colCell[k] = cell;
            _colWeight[k] = weight;
            if (k == 0 || cell != _colCell[k - 1])
            {
                _groupStart[groups++] = k;
            }
        }
        _groupStart[groups] = width;
        int cellLo = _colCell[0];
        int cellHi = Math.Min(_colCell[width - 1] + 1, lastCell);

        int lastRow = grid.Height - 1;
        float invCellHeight = 1f / grid.CellHeight;
        for (int v = rect.V0; v < rect.V1; v++)
        {
            float fy = (MapGeometry.SampleCoord(v, divisor, imageHeight) - grid.OriginY) * invCellHeight - 0.5f;
            (int j0, float wy) = Split(fy, lastRow);
            int j1 = Math.Min(j0 + 1, lastRow);
            ReadOnlySpan<float> top = cells.Slice(j0 * grid.Width, grid.Width);
            ReadOnlySpan<float> bottom = cells.Slice(j1 * grid.Width, grid.Width);
            for (int i = cellLo; i <= cellHi; i++)
            {
                _row[i] = top[i] + (bottom[i] - top[i]) * wy;
            }

            Span<ushort> mapRow = map.Slice(v * mapWidth, mapWidth);
            int runStart = -1;
            for (int g = 0; g < groups; g++)
            {
                int k0 = _groupStart[g];
                int k1 = _groupStart[g + 1];
                int i0 = _colCell[k0];
                float a = _row[i0];
                float b = _row[Math.Min(i0 + 1, lastCell)];
                // Between two cell centres the sample is linear, so if both ends are on the same side of the
                // threshold so is every pixel in between: decide the whole stretch at once.
                if (a >= threshold && b >= threshold)
                {
                    if (runStart < 0)
                    {
                        runStart = k0;
                    }
                    continue;
                }
                if (a < threshold && b < threshold)
                {
                    Flush(mapRow, rect.U0, ref runStart, k0, v, v == lastMapRow, id, ref stats);
                    continue;
                }
                for (int k = k0; k < k1; k++)
                {
                    if (a + (b - a) * _colWeight[k] >= threshold)
                    {
                        if (runStart < 0)
                        {
                            runStart = k;
                        }
                    }
                    else
                    {
                        Flush(mapRow, rect.U0, ref runStart, k, v, v == lastMapRow, id, ref stats);
                    }
                }
            }
            Flush(mapRow, rect.U0, ref runStart, width, v, v == lastMapRow, id, ref stats);
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
            _groupStart = new int[columns + 1];
        }
        if (_row.Length < cells)
        {
            _row = new float[cells];
        }
    }
}
