using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;
using Xunit.Abstractions;

namespace RealtimeSeg.Evaluation.Tests.Mot;

/// <summary>
/// TrackEval's figures for the real tracker output on TUD-Campus and TUD-Stadtmitte (MOT15), as printed in the
/// shared assets' README, reproduced to the printed precision.
/// </summary>
public sealed class TudReferenceTests(ITestOutputHelper output)
{
    [AssetTheory]
    [InlineData("TUD-Campus", 39.140, 41.805, 36.912, 52.646, 72.280, 55.766, 7, 13, 150, 1, 1)]
    [InlineData("TUD-Stadtmitte", 39.785, 39.227, 40.884, 56.401, 65.410, 64.462, 7, 45, 452, 5, 1)]
    public void Evaluate_TudSequence_ReproducesTrackEval(string sequence, double hota, double detA, double assA, double mota,
        double motp, double idf1, int idsw, int fp, int fn, int mt, int ml)
    {
        MotMetrics m = EvaluateTud(sequence);

        output.WriteLine(m.ToJson());
        AssertFigures(m, hota, detA, assA, mota, motp, idf1, idsw, fp, fn, mt, ml);
    }

    [AssetFact]
    public void Combine_BothTudSequences_ReproducesTrackEvalCombined()
    {
        MotMetrics combined = MotEvaluator.Combine([EvaluateTud("TUD-Campus"), EvaluateTud("TUD-Stadtmitte")]);

        output.WriteLine(combined.ToJson());
        AssertFigures(combined, 39.996, 39.768, 41.245, 55.512, 66.982, 62.430, 14, 58, 602, 6, 2);
        Assert.Equal(2, combined.SequenceCount);
    }

    internal static MotMetrics EvaluateTud(string sequence)
    {
        MotSequence gt = MotTextReader.ReadFile(TestAssets.Path($"tracking/{sequence}/gt.txt"), sequence);
        MotSequence pred = MotTextReader.ReadFile(TestAssets.Path($"tracking/{sequence}/tracker-output.txt"), sequence);
        return MotEvaluator.Evaluate(gt, pred);
    }

    private static void AssertFigures(MotMetrics m, double hota, double detA, double assA, double mota, double motp, double idf1,
        int idsw, int fp, int fn, int mt, int ml)
    {
        Assert.Equal(hota, Math.Round(m.Hota, 3));
        Assert.Equal(detA, Math.Round(m.DetA, 3));
        Assert.Equal(assA, Math.Round(m.AssA, 3));
        Assert.Equal(mota, Math.Round(m.Mota, 3));
        Assert.Equal(motp, Math.Round(m.Motp, 3));
        Assert.Equal(idf1, Math.Round(m.Idf1, 3));
        Assert.Equal(idsw, m.IdSwitches);
        Assert.Equal(fp, m.FalsePositives);
        Assert.Equal(fn, m.FalseNegatives);
        Assert.Equal(mt, m.MostlyTracked);
        Assert.Equal(ml, m.MostlyLost);
    }
}
