using System.Diagnostics;
using System.Numerics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>
/// The mask each track slot last matched, for mask IoU as an association cue (<see cref="TrackerOptions.MaskIouWeight"/>):
/// the detection's soft mask binarised at <see cref="TrackerOptions.MaskThreshold"/>, kept at the model's own cell size up
/// to <see cref="MaxSide"/> × <see cref="MaxSide"/> cells (a finer grid is subsampled), and placed relative to the box it
/// was observed with, so that it moves and scales with the track's predicted box. Every slot is preallocated; nothing is
/// allocated per frame. Slots are indexed like the tracker's track array and move with it (<see cref="Move"/>).
/// </summary>
internal sealed class TrackMasks
{
    /// <summary>Most cells a stored mask has per side: 32 × 32 bytes a slot.</summary>
    public const int MaxSide = 32;

    private const int SlotCells = MaxSide * MaxSide;
    private readonly byte[] _cells;
    private readonly TrackMaskShape[] _shapes;
    private readonly float _threshold;

    public TrackMasks(int slots, float threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        _cells = new byte[checked(slots * SlotCells)];
        _shapes = new TrackMaskShape[slots];
        _threshold = threshold;
    }

    /// <summary>Whether <paramref name="slot"/> holds a mask with at least one cell set.</summary>
    public bool Has(int slot) => _shapes[slot].SetCells > 0;

    public void Clear(int slot) => _shapes[slot] = default;

    /// <summary>Moves a slot's mask to another slot (the tracker compacting its track array).</summary>
    public void Move(int from, int to)
    {
        TrackMaskShape shape = _shapes[from];
        _shapes[to] = shape;
        int n = shape.Width * shape.Height;
        _cells.AsSpan(from * SlotCells, n).CopyTo(_cells.AsSpan(to * SlotCells, n));
    }

    /// <summary>Stores a detection's mask, observed with <paramref name="box"/>, in <paramref name="slot"/>.</summary>
    public void Store(int slot, in BoundingBox box, in MaskGrid grid, ReadOnlySpan<float> cells)
    {
        Debug.Assert(cells.Length >= grid.CellCount && box.Width > 0f && box.Height > 0f);
        // Every sx-th column and sy-th row, each stored cell reading the native cell at its middle.
        int sx = (grid.Width + MaxSide - 1) / MaxSide, sy = (grid.Height + MaxSide - 1) / MaxSide;
        int w = (grid.Width + sx - 1) / sx, h = (grid.Height + sy - 1) / sy;
        Span<byte> dst = _cells.AsSpan(slot * SlotCells, w * h);
        int set = 0;
        if (sx == 1 && sy == 1)
        {
            // The usual case (a grid of at most 32 × 32 cells): the cells as they are, thresholded.
            set = Threshold(cells[..dst.Length], dst);
        }
        else
        {
            for (int j = 0; j < h; j++)
            {
                ReadOnlySpan<float> src = cells.Slice(Math.Min((j * sy) + (sy / 2), grid.Height - 1) * grid.Width, grid.Width);
                Span<byte> row = dst.Slice(j * w, w);
                for (int i = 0; i < w; i++)
                {
                    byte on = src[Math.Min((i * sx) + (sx / 2), grid.Width - 1)] >= _threshold ? (byte)1 : (byte)0;
                    row[i] = on;
                    set += on;
                }
            }
        }
        float bw = box.Width, bh = box.Height;
        _shapes[slot] = new TrackMaskShape(
            w, h,
            CentreU: (grid.OriginX + (((sx / 2) + 0.5f) * grid.CellWidth) - box.X1) / bw,
            CentreV: (grid.OriginY + (((sy / 2) + 0.5f) * grid.CellHeight) - box.Y1) / bh,
            StepU: sx * grid.CellWidth / bw,
            StepV: sy * grid.CellHeight / bh,
            set);
    }

    /// <summary>The image area (px²) of a detection's mask: its cells at or above the threshold.</summary>
    public float DetectionArea(in MaskGrid grid, ReadOnlySpan<float> cells)
    {
        ReadOnlySpan<float> all = cells[..grid.CellCount];
        int set = 0, k = 0;
        if (Vector.IsHardwareAccelerated && all.Length >= Vector<float>.Count)
        {
            var threshold = new Vector<float>(_threshold);
            Vector<int> count = Vector<int>.Zero;
            for (; k <= all.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                count -= Vector.GreaterThanOrEqual(new Vector<float>(all.Slice(k, Vector<float>.Count)), threshold); // −1 per set lane
            }
            set = Vector.Sum(count);
        }
        for (; k < all.Length; k++)
        {
            set += all[k] >= _threshold ? 1 : 0;
        }
        return set * grid.CellWidth * grid.CellHeight;
    }

    /// <summary>Writes 1 where a cell is at or above the threshold, else 0; returns how many are.</summary>
    private int Threshold(ReadOnlySpan<float> cells, Span<byte> dst)
    {
        Debug.Assert(cells.Length == dst.Length);
        int set = 0;
        for (int k = 0; k < dst.Length; k++)
        {
            int on = cells[k] >= _threshold ? 1 : 0;
            dst[k] = (byte)on;
            set += on;
        }
        return set;
    }

    /// <summary>
    /// IoU of the slot's mask, placed in <paramref name="predicted"/>, with a detection's mask of area
    /// <paramref name="detectionArea"/> (<see cref="DetectionArea"/>). The intersection is counted at the stored cells'
    /// centres, each reading the detection's cell under it: one pass over at most <see cref="MaxSide"/>² cells. 0 when
    /// either mask is empty.
    /// </summary>
    public float Iou(int slot, in BoundingBox predicted, in MaskGrid grid, ReadOnlySpan<float> cells, float detectionArea)
    {
        TrackMaskShape s = _shapes[slot];
        if (s.SetCells == 0 || !(detectionArea > 0f))
        {
            return 0f;
        }
        float pw = predicted.Width, ph = predicted.Height;
        // Stored cell (i, j)'s centre, in the detection grid's cell units: (x0 + i·dx, y0 + j·dy).
        float x0 = (predicted.X1 + (s.CentreU * pw) - grid.OriginX) / grid.CellWidth, dx = s.StepU * pw / grid.CellWidth;
        float y0 = (predicted.Y1 + (s.CentreV * ph) - grid.OriginY) / grid.CellHeight, dy = s.StepV * ph / grid.CellHeight;
        ReadOnlySpan<byte> stored = _cells.AsSpan(slot * SlotCells, s.Width * s.Height);
        // The detection's column under each stored column, −1 outside its grid: the same for every row.
        Span<int> columns = stackalloc int[MaxSide];
        columns = columns[..s.Width];
        for (int i = 0; i < columns.Length; i++)
        {
            float fx = x0 + (i * dx);
            columns[i] = fx >= 0f && fx < grid.Width ? (int)fx : -1;
        }
        int inter = 0;
        for (int j = 0; j < s.Height; j++)
        {
            float fy = y0 + (j * dy);
            if (!(fy >= 0f && fy < grid.Height))
            {
                continue;
            }
            ReadOnlySpan<float> detRow = cells.Slice((int)fy * grid.Width, grid.Width);
            ReadOnlySpan<byte> row = stored.Slice(j * s.Width, s.Width);
            for (int i = 0; i < row.Length; i++)
            {
                int k = columns[i];
                if (row[i] != 0 && k >= 0 && detRow[k] >= _threshold)
                {
                    inter++;
                }
            }
        }
        float cellArea = s.StepU * pw * s.StepV * ph;
        float trackArea = s.SetCells * cellArea;
        // Sampling at different cell sizes can count a little more than the smaller mask holds.
        float interArea = MathF.Min(inter * cellArea, MathF.Min(trackArea, detectionArea));
        return interArea / (trackArea + detectionArea - interArea);
    }
}
