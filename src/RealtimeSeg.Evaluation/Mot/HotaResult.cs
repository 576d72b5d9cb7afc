using System.Diagnostics;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// HOTA fields of one sequence or of a combination, per α (fractions 0…1, as TrackEval keeps them):
/// integer counts stored as doubles like TrackEval's float arrays.
/// </summary>
internal sealed class HotaResult
{
    public const int AlphaCount = 19;

    /// <summary>α = 0.05, 0.10, …, 0.95 computed as NumPy's <c>arange(0.05, 0.99, 0.05)</c> does: start + i·step.</summary>
    public static ReadOnlySpan<double> Alphas => AlphaValues;

    private static readonly double[] AlphaValues = MakeAlphas();

    public double[] Tp { get; } = new double[AlphaCount];
    public double[] Fn { get; } = new double[AlphaCount];
    public double[] Fp { get; } = new double[AlphaCount];
    public double[] AssA { get; } = new double[AlphaCount];
    public double[] AssRe { get; } = new double[AlphaCount];
    public double[] AssPr { get; } = new double[AlphaCount];
    public double[] LocA { get; } = new double[AlphaCount];
    public double[] DetRe { get; } = new double[AlphaCount];
    public double[] DetPr { get; } = new double[AlphaCount];
    public double[] DetA { get; } = new double[AlphaCount];
    public double[] Hota { get; } = new double[AlphaCount];
    public double[] RHota { get; } = new double[AlphaCount];
    public double Hota0 { get; private set; }
    public double LocA0 { get; set; }
    public double HotaLocA0 { get; private set; }

    /// <summary>TrackEval's <c>_compute_final_fields</c>: the fields that follow from the counts and AssA.</summary>
    public void ComputeFinalFields()
    {
        for (int a = 0; a < AlphaCount; a++)
        {
            DetRe[a] = Tp[a] / Math.Max(1.0, Tp[a] + Fn[a]);
            DetPr[a] = Tp[a] / Math.Max(1.0, Tp[a] + Fp[a]);
            DetA[a] = Tp[a] / Math.Max(1.0, Tp[a] + Fn[a] + Fp[a]);
            Hota[a] = Math.Sqrt(DetA[a] * AssA[a]);
            RHota[a] = Math.Sqrt(DetRe[a] * AssA[a]);
        }
        Hota0 = Hota[0];
        LocA0 = LocA[0];
        HotaLocA0 = Hota0 * LocA0;
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        for (int a = 0; a < AlphaCount; a++)
        {
            Debug.Assert(Tp[a] >= 0 && Fn[a] >= 0 && Fp[a] >= 0, "counts are non-negative");
            Debug.Assert(a == 0 || Tp[a] <= Tp[a - 1], "a stricter α never matches more");
            Debug.Assert(DetA[a] <= 1 + 1e-12 && AssA[a] <= 1 + 1e-12, "scores are fractions");
        }
    }

    private static double[] MakeAlphas()
    {
        var alphas = new double[AlphaCount];
        const double Start = 0.05;
        // NumPy derives the step from the first two values: (0.05 + 0.05) − 0.05.
        double step = (Start + 0.05) - Start;
        for (int i = 0; i < AlphaCount; i++)
        {
            alphas[i] = Start + i * step;
        }
        return alphas;
    }
}
