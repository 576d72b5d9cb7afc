namespace RealtimeSeg.Inference.Panoptic;

/// <summary>Run-level operations on one map row; the vectorised span searches do the per-pixel work.</summary>
internal static class MapRuns
{
    /// <summary>
    /// Visits the still-void (0) pixels of <c>row[from..to)</c>, adding them to <paramref name="stats"/> and, when
    /// <paramref name="write"/>, setting them to <paramref name="id"/>. Painted pixels are left alone: whoever
    /// painted first owns a pixel.
    /// </summary>
    /// <param name="row">The whole map row (so its end is the map's last column).</param>
    public static void ClaimVoid(Span<ushort> row, int from, int to, int v, bool isLastRow, ushort id, bool write, ref SegmentAccumulator stats)
    {
        int k = from;
        while (k < to)
        {
            Span<ushort> rest = row[k..to];
            int start = rest.IndexOf((ushort)0);
            if (start < 0)
            {
                return;
            }
            Span<ushort> voidRun = rest[start..];
            int length = voidRun.IndexOfAnyExcept((ushort)0);
            if (length < 0)
            {
                length = voidRun.Length;
            }
            if (write)
            {
                voidRun[..length].Fill(id);
            }
            stats.AddRun(k + start, v, length, k + start + length == row.Length, isLastRow);
            k += start + length;
        }
    }
}
