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

    /// <summary>
    /// Merge NMS (YOLOv5's <c>merge=True</c>, a same-class weighted box fusion): replaces each kept box in place by the
    /// mean of every candidate of its class that overlaps it by more than <paramref name="mergeIouThreshold"/> (itself
    /// included), weighted by score × IoU, so the scatter of the boxes that several anchors regress for one object
    /// averages out instead of the single best-scoring box standing for it. Reads the original boxes only: merged boxes
    /// are written to <paramref name="merged"/> (index q for kept q) and copied back at the end. Allocates nothing.
    /// </summary>
    public static void MergeKept(Span<BoundingBox> boxes, ReadOnlySpan<int> classes, ReadOnlySpan<float> scores, ReadOnlySpan<int> keep, float mergeIouThreshold, Span<BoundingBox> merged)
    {
        if (boxes.Length != classes.Length || boxes.Length != scores.Length)
        {
            throw new ArgumentException($"{boxes.Length} boxes, {classes.Length} classes and {scores.Length} scores", nameof(classes));
        }
        if (merged.Length < keep.Length)
        {
            throw new ArgumentException($"{merged.Length} merge slots for {keep.Length} kept boxes", nameof(merged));
        }
        for (int q = 0; q < keep.Length; q++)
        {
            int k = keep[q];
            ref readonly BoundingBox anchor = ref boxes[k];
            int cls = classes[k];
            double wSum = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
            for (int j = 0; j < boxes.Length; j++)
            {
                if (classes[j] != cls)
                {
                    continue;
                }
                ref readonly BoundingBox other = ref boxes[j];
                float iou = j == k ? 1f : BoundingBox.IoU(anchor, other);
                if (j != k && !(iou > mergeIouThreshold))
                {
                    continue;
                }
                double w = scores[j] * (double)iou;
                wSum += w;
                x1 += w * other.X1;
                y1 += w * other.Y1;
                x2 += w * other.X2;
                y2 += w * other.Y2;
            }
            merged[q] = wSum > 0 ? new BoundingBox((float)(x1 / wSum), (float)(y1 / wSum), (float)(x2 / wSum), (float)(y2 / wSum)) : anchor;
        }
        for (int q = 0; q < keep.Length; q++)
        {
            boxes[keep[q]] = merged[q];
        }
    }
}
