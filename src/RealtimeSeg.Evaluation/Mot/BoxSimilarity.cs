using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// IoU of x,y,w,h boxes exactly as TrackEval's <c>_calculate_box_ious(…, box_format='xywh')</c> computes it in
/// float64 — corners first (x+w), areas from the corners, and boxes of area ≤ ε giving 0 — so that pairs sitting
/// on a threshold (0.5, or an α of HOTA) fall on the same side as in the reference.
/// </summary>
internal static class BoxSimilarity
{
    public static void Iou(ReadOnlySpan<MotRecord> gt, ReadOnlySpan<MotRecord> tracker, Span<double> result)
    {
        int k = tracker.Length;
        for (int i = 0; i < gt.Length; i++)
        {
            ref readonly MotRecord a = ref gt[i];
            double ax1 = a.X + a.Width, ay1 = a.Y + a.Height;
            double area1 = (ax1 - a.X) * (ay1 - a.Y);
            for (int j = 0; j < k; j++)
            {
                ref readonly MotRecord b = ref tracker[j];
                double bx1 = b.X + b.Width, by1 = b.Y + b.Height;
                double area2 = (bx1 - b.X) * (by1 - b.Y);
                double intersection = Math.Max(Math.Min(ax1, bx1) - Math.Max(a.X, b.X), 0)
                                      * Math.Max(Math.Min(ay1, by1) - Math.Max(a.Y, b.Y), 0);
                double union = area1 + area2 - intersection;
                if (area1 <= NumpyArithmetic.Eps || area2 <= NumpyArithmetic.Eps || union <= NumpyArithmetic.Eps)
                {
                    intersection = 0;
                }
                if (union <= NumpyArithmetic.Eps)
                {
                    union = 1;
                }
                result[i * k + j] = intersection / union;
            }
        }
    }
}
