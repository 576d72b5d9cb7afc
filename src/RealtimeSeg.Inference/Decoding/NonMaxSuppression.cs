using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>Greedy, class-aware non-maximum suppression over candidates already sorted best first. Allocates nothing.</summary>
internal static class NonMaxSuppression
{
    /// <summary>
    /// Writes into <paramref name="keep"/> the indices of the candidates that survive — a candidate is dropped when
    /// it overlaps (IoU &gt; <paramref name="iouThreshold"/>) an already kept box of the same class — and returns how
    /// many, at most <paramref name="maxKeep"/>. Boxes of different classes never suppress each other.
    /// </summary>
    public static int SelectClassAware(ReadOnlySpan<BoundingBox> boxes, ReadOnlySpan<int> classes, float iouThreshold, int maxKeep, Span<int> keep)
    {
        if (boxes.Length != classes.Length)
        {
            throw new ArgumentException($"{boxes.Length} boxes but {classes.Length} classes", nameof(classes));
        }
        int limit = Math.Min(maxKeep, keep.Length);
        int kept = 0;
        for (int j = 0; j < boxes.Length && kept < limit; j++)
        {
            ref readonly BoundingBox candidate = ref boxes[j];
            int cls = classes[j];
            bool suppressed = false;
            for (int q = 0; q < kept; q++)
            {
                int k = keep[q];
                if (classes[k] == cls && BoundingBox.IoU(boxes[k], candidate) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed)
            {
                keep[kept++] = j;
            }
        }
        return kept;
    }
}
