using System.Numerics;
using System.Runtime.Intrinsics;

namespace RealtimeSeg.Inference.Panoptic;

/// <summary>One mask row interpolated between two grid rows, and which of its cells reach the threshold, as a bit set.</summary>
internal static class MaskRowThreshold
{
    /// <summary>
    /// row[i] = top[i] + (bottom[i] − top[i])·w; bit i of <paramref name="bits"/> set when row[i] ≥ threshold.
    /// </summary>
    /// <returns>True when at least one bit is set.</returns>
    public static bool Interpolate(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float w, float threshold, Span<float> row, Span<ulong> bits)
    {
        int n = row.Length;
        bits[..((n + 63) >> 6)].Clear();
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> wv = Vector256.Create(w);
            Vector256<float> tv = Vector256.Create(threshold);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> a = Vector256.Create(top.Slice(i, Vector256<float>.Count));
                Vector256<float> b = Vector256.Create(bottom.Slice(i, Vector256<float>.Count));
                Vector256<float> r = a + (b - a) * wv;
                r.CopyTo(row.Slice(i, Vector256<float>.Count));
                // i is a multiple of 8, so the 8 bits never straddle two words.
                bits[i >> 6] |= (ulong)Vector256.GreaterThanOrEqual(r, tv).ExtractMostSignificantBits() << (i & 63);
            }
        }
        for (; i < n; i++)
        {
            float r = top[i] + (bottom[i] - top[i]) * w;
            row[i] = r;
            if (r >= threshold)
            {
                bits[i >> 6] |= 1UL << (i & 63);
            }
        }
        foreach (ulong word in bits[..((n + 63) >> 6)])
        {
            if (word != 0)
            {
                return true;
            }
        }
        return false;
    }

    public static bool Get(ReadOnlySpan<ulong> bits, int i) => (bits[i >> 6] & (1UL << (i & 63))) != 0;

    /// <summary>The first p ≥ <paramref name="from"/> with bit p ≠ bit p + 1, p + 1 &lt; <paramref name="n"/>; −1 when none.</summary>
    public static int NextTransition(ReadOnlySpan<ulong> bits, int from, int n)
    {
        int last = n - 2; // p + 1 must be a cell of the row
        for (int p = from; p <= last;)
        {
            int word = p >> 6;
            ulong w = bits[word];
            ulong next = word + 1 < bits.Length ? bits[word + 1] : 0UL;
            ulong transitions = (w ^ ((w >> 1) | (next << 63))) & (ulong.MaxValue << (p & 63));
            if (transitions != 0)
            {
                int found = (word << 6) + BitOperations.TrailingZeroCount(transitions);
                return found <= last ? found : -1;
            }
            p = (word + 1) << 6;
        }
        return -1;
    }
}
