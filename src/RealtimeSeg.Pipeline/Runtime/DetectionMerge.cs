using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>Copies one model's detections (and masks) into the frame's merged set, moving class ids into the combined class space.</summary>
internal static class DetectionMerge
{
    /// <summary>
    /// Appends every detection of <paramref name="from"/> to <paramref name="into"/> with class id + <paramref name="classOffset"/>.
    /// A detection whose mask no longer fits keeps its box and loses the mask (the composer then paints its box) — cannot
    /// happen when <paramref name="into"/> was sized as the sum of the models' sets. Allocates nothing.
    /// </summary>
    public static void Append(DetectionSet from, int classOffset, DetectionSet into)
    {
        ReadOnlySpan<Detection> items = from.Items;
        ReadOnlySpan<MaskGrid> masks = from.Masks;
        for (int k = 0; k < items.Length; k++)
        {
            Detection d = items[k];
            int mask = -1;
            if (d.MaskIndex >= 0)
            {
                MaskGrid g = masks[d.MaskIndex];
                mask = into.TryAllocateMask(g.Width, g.Height, g.OriginX, g.OriginY, g.CellWidth, g.CellHeight, out Span<float> cells);
                if (mask >= 0)
                {
                    from.MaskCells(d.MaskIndex).CopyTo(cells);
                }
            }
            into.TryAdd(d with { ClassId = d.ClassId + classOffset, MaskIndex = mask });
        }
    }
}
