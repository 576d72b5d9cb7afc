using System.Numerics;
using System.Runtime.CompilerServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>The association cost 1 − IoU·s between one track box and a row of detection boxes.</summary>
internal static class PairCosts
{
    /// <summary>
    /// Writes, for each column c, <c>1 − IoU(track, box_c) · score_c</c>, or +∞ when the boxes are disjoint or the
    /// classes differ (such pairs can never be matched, and +∞ says so to the solver without a division).
    /// </summary>
    public static void IouCostRow(in BoundingBox track, int trackClass, ReadOnlySpan<float> x1, ReadOnlySpan<float> y1, ReadOnlySpan<float> x2,
        ReadOnlySpan<float> y2, ReadOnlySpan<float> areas, ReadOnlySpan<float> scores, ReadOnlySpan<int> classes, Span<float> costs)
    {
        int n = costs.Length;
        int c = 0;
        float trackArea = track.Area;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var tx1 = new Vector<float>(track.X1);
            var ty1 = new Vector<float>(track.Y1);
            var tx2 = new Vector<float>(track.X2);
            var ty2 = new Vector<float>(track.Y2);
            var ta = new Vector<float>(trackArea);
            var tc = new Vector<int>(trackClass);
            var inf = new Vector<float>(float.PositiveInfinity);
            for (; c <= n - Vector<float>.Count; c += Vector<float>.Count)
            {
                Vector<float> iw = Vector.Min(tx2, Load(x2, c)) - Vector.Max(tx1, Load(x1, c));
                Vector<float> ih = Vector.Min(ty2, Load(y2, c)) - Vector.Max(ty1, Load(y1, c));
                Vector<float> inter = Vector.Max(iw, Vector<float>.Zero) * Vector.Max(ih, Vector<float>.Zero);
                Vector<float> union = ta + Load(areas, c) - inter;
                Vector<float> cost = Vector<float>.One - inter / union * Load(scores, c);
                Vector<int> usable = Vector.GreaterThan(inter, Vector<float>.Zero) & Vector.Equals(Load(classes, c), tc);
                cost = Vector.ConditionalSelect(usable.As<int, float>(), cost, inf);
                cost.CopyTo(costs.Slice(c, Vector<float>.Count));
            }
        }
        for (; c < n; c++)
        {
            float iw = MathF.Min(track.X2, x2[c]) - MathF.Max(track.X1, x1[c]);
            float ih = MathF.Min(track.Y2, y2[c]) - MathF.Max(track.Y1, y1[c]);
            if (iw <= 0f || ih <= 0f || classes[c] != trackClass)
            {
                costs[c] = float.PositiveInfinity;
                continue;
            }
            float inter = iw * ih;
            costs[c] = 1f - inter / (trackArea + areas[c] - inter) * scores[c];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ReadOnlySpan<T> span, int index)
        where T : unmanaged
        => new(span.Slice(index, Vector<T>.Count));
}
