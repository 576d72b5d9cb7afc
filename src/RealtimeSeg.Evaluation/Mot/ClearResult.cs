using System.Diagnostics;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>CLEAR MOT fields of one sequence or a combination (fractions, as TrackEval keeps them).</summary>
internal sealed class ClearResult
{
    public long Tp { get; set; }
    public long Fn { get; set; }
    public long Fp { get; set; }
    public long IdSwitches { get; set; }
    public long MostlyTracked { get; set; }
    public long PartiallyTracked { get; set; }
    public long MostlyLost { get; set; }
    public long Fragmentations { get; set; }
    public long Frames { get; set; }
    public double MotpSum { get; set; }

    public double Mota { get; private set; }
    public double Motp { get; private set; }
    public double Moda { get; private set; }
    public double Recall { get; private set; }
    public double Precision { get; private set; }
    public double MostlyTrackedRatio { get; private set; }
    public double PartiallyTrackedRatio { get; private set; }
    public double MostlyLostRatio { get; set; }
    public double SMota { get; private set; }
    public double F1 { get; private set; }
    public double FpPerFrame { get; private set; }
    public double Motal { get; private set; }

    /// <summary>TrackEval's <c>_compute_final_fields</c> of clear.py.</summary>
    public void ComputeFinalFields()
    {
        double gtIds = MostlyTracked + MostlyLost + PartiallyTracked;
        MostlyTrackedRatio = MostlyTracked / Math.Max(1.0, gtIds);
        MostlyLostRatio = MostlyLost / Math.Max(1.0, gtIds);
        PartiallyTrackedRatio = PartiallyTracked / Math.Max(1.0, gtIds);
        double gtDets = Math.Max(1.0, Tp + Fn);
        Recall = Tp / gtDets;
        Precision = Tp / Math.Max(1.0, Tp + Fp);
        Moda = (Tp - Fp) / gtDets;
        Mota = (Tp - Fp - IdSwitches) / gtDets;
        Motp = MotpSum / Math.Max(1.0, Tp);
        SMota = (MotpSum - Fp - IdSwitches) / gtDets;
        F1 = Tp / Math.Max(1.0, Tp + 0.5 * Fn + 0.5 * Fp);
        FpPerFrame = Fp / Math.Max(1.0, Frames);
        double safeLogIdsw = IdSwitches > 0 ? Math.Log10(IdSwitches) : IdSwitches;
        Motal = (Tp - Fp - safeLogIdsw) / gtDets;
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Tp >= 0 && Fn >= 0 && Fp >= 0 && IdSwitches >= 0 && Fragmentations >= 0, "counts are non-negative");
        Debug.Assert(IdSwitches <= Tp, "a switch is counted on a match");
        Debug.Assert(MotpSum <= Tp + 1e-9, "each match adds an IoU ≤ 1");
    }
}
