using System.Text;
using System.Text.Json;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// HOTA, CLEAR and Identity metrics of one sequence (from <see cref="MotEvaluator.Evaluate"/>) or of several
/// combined (<see cref="MotEvaluator.Combine"/>), with TrackEval's definitions.
/// </summary>
/// <remarks>
/// Scores are percentages (×100) as TrackEval prints them; HOTA-family scores are the mean over
/// α = 0.05, 0.10, …, 0.95 (<see cref="Alphas"/>). Counts are detections (boxes) unless named otherwise.
/// Immutable.
/// </remarks>
public sealed class MotMetrics
{
    private readonly HotaResult _hota;
    private readonly ClearResult _clear;
    private readonly IdentityResult _identity;

    internal MotMetrics(string name, int sequenceCount, HotaResult hota, ClearResult clear, IdentityResult identity,
        int frames, long gtDetections, long predDetections, long gtIds, long predIds)
    {
        Name = name;
        SequenceCount = sequenceCount;
        _hota = hota;
        _clear = clear;
        _identity = identity;
        Frames = frames;
        GtDetections = gtDetections;
        PredDetections = predDetections;
        GtIds = gtIds;
        PredIds = predIds;
        HotaByAlpha = Percent(hota.Hota);
        DetAByAlpha = Percent(hota.DetA);
        AssAByAlpha = Percent(hota.AssA);
        LocAByAlpha = Percent(hota.LocA);
    }

    /// <summary>The α thresholds of the HOTA family: 0.05, 0.10, …, 0.95.</summary>
    public static IReadOnlyList<double> Alphas { get; } = HotaResult.Alphas.ToArray();

    /// <summary>Sequence name, or the name given to the combination (e.g. <c>COMBINED</c>).</summary>
    public string Name { get; }

    /// <summary>1 for a sequence; the number of sequences for a combination.</summary>
    public int SequenceCount { get; }

    /// <summary>Frames evaluated (summed over sequences).</summary>
    public int Frames { get; }

    /// <summary>Evaluated ground-truth boxes (after preprocessing).</summary>
    public long GtDetections { get; }

    /// <summary>Evaluated predicted boxes (after preprocessing).</summary>
    public long PredDetections { get; }

    /// <summary>Distinct evaluated ground-truth ids (summed over sequences).</summary>
    public long GtIds { get; }

    /// <summary>Distinct evaluated predicted ids (summed over sequences).</summary>
    public long PredIds { get; }

    // HOTA family, % (mean over α).
    public double Hota => MeanPercent(_hota.Hota);
    public double DetA => MeanPercent(_hota.DetA);
    public double AssA => MeanPercent(_hota.AssA);
    public double LocA => MeanPercent(_hota.LocA);
    public double DetRe => MeanPercent(_hota.DetRe);
    public double DetPr => MeanPercent(_hota.DetPr);
    public double AssRe => MeanPercent(_hota.AssRe);
    public double AssPr => MeanPercent(_hota.AssPr);
    public double RHota => MeanPercent(_hota.RHota);

    /// <summary>HOTA at α = 0.05 ("HOTA(0)"), %.</summary>
    public double Hota0 => 100 * _hota.Hota0;

    /// <summary>LocA at α = 0.05 ("LocA(0)"), %.</summary>
    public double LocA0 => 100 * _hota.LocA0;

    /// <summary>HOTA(0) × LocA(0) ("HOTALocA(0)"), %.</summary>
    public double HotaLocA0 => 100 * _hota.HotaLocA0;

    /// <summary>Per-α curves, % (index i ↔ <see cref="Alphas"/>[i]).</summary>
    public IReadOnlyList<double> HotaByAlpha { get; }
    public IReadOnlyList<double> DetAByAlpha { get; }
    public IReadOnlyList<double> AssAByAlpha { get; }
    public IReadOnlyList<double> LocAByAlpha { get; }

    // CLEAR, % and counts (IoU ≥ 0.5).
    public double Mota => 100 * _clear.Mota;
    public double Motp => 100 * _clear.Motp;
    public double Moda => 100 * _clear.Moda;
    public double SMota => 100 * _clear.SMota;
    public double Motal => 100 * _clear.Motal;

    /// <summary>CLR_Re: TP / gt boxes, %.</summary>
    public double ClearRecall => 100 * _clear.Recall;

    /// <summary>CLR_Pr: TP / predicted boxes, %.</summary>
    public double ClearPrecision => 100 * _clear.Precision;

    /// <summary>CLR_F1, %.</summary>
    public double ClearF1 => 100 * _clear.F1;

    /// <summary>MT / gt ids, %.</summary>
    public double MostlyTrackedRatio => 100 * _clear.MostlyTrackedRatio;
    public double PartiallyTrackedRatio => 100 * _clear.PartiallyTrackedRatio;
    public double MostlyLostRatio => 100 * _clear.MostlyLostRatio;

    /// <summary>False positives per frame (a rate, not a percentage).</summary>
    public double FalsePositivesPerFrame => _clear.FpPerFrame;

    /// <summary>CLR_TP.</summary>
    public long TruePositives => _clear.Tp;

    /// <summary>CLR_FN ("FN").</summary>
    public long FalseNegatives => _clear.Fn;

    /// <summary>CLR_FP ("FP").</summary>
    public long FalsePositives => _clear.Fp;

    /// <summary>IDSW.</summary>
    public long IdSwitches => _clear.IdSwitches;

    /// <summary>MT: gt ids matched in more than 80 % of their frames.</summary>
    public long MostlyTracked => _clear.MostlyTracked;

    /// <summary>PT: gt ids matched in 20–80 % of their frames.</summary>
    public long PartiallyTracked => _clear.PartiallyTracked;

    /// <summary>ML: gt ids matched in less than 20 % of their frames.</summary>
    public long MostlyLost => _clear.MostlyLost;

    /// <summary>Frag: times a gt trajectory resumes being tracked after an interruption.</summary>
    public long Fragmentations => _clear.Fragmentations;

    // Identity, % and counts (IoU ≥ 0.5).
    public double Idf1 => 100 * _identity.Idf1;
    public double Idp => 100 * _identity.Idp;
    public double Idr => 100 * _identity.Idr;
    public long IdTruePositives => _identity.IdTp;
    public long IdFalseNegatives => _identity.IdFn;
    public long IdFalsePositives => _identity.IdFp;

    internal HotaResult HotaResult => _hota;
    internal ClearResult ClearResult => _clear;
    internal IdentityResult IdentityResult => _identity;

    /// <summary>This result as one JSON object (TrackEval field names; see <see cref="MotReport.WriteJson(Utf8JsonWriter, MotMetrics)"/>).</summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            MotReport.WriteJson(writer, this);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Name}: HOTA {Hota:F3} DetA {DetA:F3} AssA {AssA:F3} MOTA {Mota:F3} MOTP {Motp:F3} IDF1 {Idf1:F3} IDSW {IdSwitches} FP {FalsePositives} FN {FalseNegatives}");

    private static double MeanPercent(double[] perAlpha) => 100 * NumpyArithmetic.Mean(perAlpha);

    private static double[] Percent(double[] perAlpha)
    {
        var result = new double[perAlpha.Length];
        for (int a = 0; a < result.Length; a++)
        {
            result[a] = 100 * perAlpha[a];
        }
        return result;
    }
}
