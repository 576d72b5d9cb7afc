namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// The few pieces of NumPy arithmetic TrackEval's results depend on, reproduced so that sums come out with the
/// same rounding: <c>np.finfo(float).eps</c>, NumPy's pairwise summation (used by <c>np.sum</c> / <c>np.mean</c>
/// along a contiguous axis) and Python's left-to-right <c>sum()</c>.
/// </summary>
internal static class NumpyArithmetic
{
    /// <summary><c>np.finfo('float').eps</c> = 2⁻⁵² (machine epsilon, not <see cref="double.Epsilon"/>).</summary>
    public const double Eps = 2.220446049250313e-16;

    private const int PairwiseBlock = 128;

    /// <summary><c>np.sum</c> of a contiguous float64 array: 8 interleaved accumulators, blocks of 128, halves above.</summary>
    public static double PairwiseSum(ReadOnlySpan<double> a) => 0.0 + Pairwise(a);

    /// <summary><c>np.mean</c> of a contiguous float64 array.</summary>
    public static double Mean(ReadOnlySpan<double> a) => PairwiseSum(a) / a.Length;

    private static double Pairwise(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++)
            {
                res += a[i];
            }
            return res;
        }
        if (n <= PairwiseBlock)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += a[i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return Pairwise(a[..n2]) + Pairwise(a[n2..]);
    }
}
