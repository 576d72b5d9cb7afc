using System.Diagnostics;

namespace RealtimeSeg.Inference.Panoptic;

/// <summary>Visible-pixel statistics of one segment, accumulated run by run in map pixels.</summary>
internal struct SegmentAccumulator
{
    public int Count;
    public long SumU;
    public long SumV;
    public int MinU;
    public int MinV;
    public int MaxU;
    public int MaxV;
    /// <summary>Pixels in the map's last column / row, whose sample points are shifted when those are partial.</summary>
    public int LastColumnCount;
    public int LastRowCount;

    public static SegmentAccumulator Empty => new() { MinU = int.MaxValue, MinV = int.MaxValue, MaxU = -1, MaxV = -1 };

    /// <summary>Adds the pixels u … u + length − 1 of row v.</summary>
    public void AddRun(int u, int v, int length, bool reachesLastColumn, bool isLastRow)
    {
        Debug.Assert(length > 0 && u >= 0 && v >= 0);
        Count += length;
        // Σ u over the run = length·u + length(length − 1)/2, exact in integers.
        SumU += (long)length * u + (long)length * (length - 1) / 2;
        SumV += (long)length * v;
        MinU = Math.Min(MinU, u);
        MaxU = Math.Max(MaxU, u + length - 1);
        MinV = Math.Min(MinV, v);
        MaxV = Math.Max(MaxV, v);
        if (reachesLastColumn)
        {
            LastColumnCount++;
        }
        if (isLastRow)
        {
            LastRowCount += length;
        }
    }
}
