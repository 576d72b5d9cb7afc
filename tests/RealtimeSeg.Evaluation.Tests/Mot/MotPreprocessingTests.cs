using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

/// <summary>TrackEval's MotChallenge2DBox preprocessing: what is evaluated under MOT15 and MOT17/20 rules.</summary>
public sealed class MotPreprocessingTests
{
    // One frame: a pedestrian, a static person (distractor), a car, a zero-marked pedestrian, an unmatched
    // distractor and a non-motorised vehicle; the tracker has an exact box on each but the unmatched distractor.
    private static MotSequence GroundTruth() => new MotBuilder("gt")
        .Gt(1, 1, 0, 0, classId: 1)
        .Gt(1, 2, 100, 0, classId: 7)
        .Gt(1, 3, 200, 0, classId: 3)
        .Gt(1, 4, 300, 0, classId: 1, flag: 0)
        .Gt(1, 5, 400, 0, classId: 8)
        .Gt(1, 6, 500, 0, classId: 6)
        .Build();

    private static MotSequence Tracker() => new MotBuilder("pred")
        .Box(1, 11, 0, 0).Box(1, 12, 100, 0).Box(1, 13, 200, 0).Box(1, 14, 300, 0).Box(1, 16, 500, 0)
        .Build();

    [Theory]
    [InlineData(MotBenchmarkRules.Mot17, 1, 0, 3)]   // static person's box removed; car, zero-marked, vehicle boxes are FP
    [InlineData(MotBenchmarkRules.Auto, 1, 0, 3)]    // every class is a MOT class → MOT17 rules
    [InlineData(MotBenchmarkRules.Mot20, 1, 0, 2)]   // non-motorised vehicle is a distractor too
    [InlineData(MotBenchmarkRules.Mot15, 4, 1, 1)]   // every flagged row counts: 1,2,3,6 matched, 5 missed, 14 FP
    public void Evaluate_MixedClasses_RulesDecideWhatCounts(MotBenchmarkRules rules, int tp, int fn, int fp)
    {
        MotMetrics m = MotEvaluator.Evaluate(GroundTruth(), Tracker(), new MotEvaluationOptions { Rules = rules });

        Assert.Equal((tp, fn, fp), ((int)m.TruePositives, (int)m.FalseNegatives, (int)m.FalsePositives));
    }

    [Fact]
    public void Evaluate_AutoWithMot15StyleClassColumn_AllFlaggedRowsCount()
    {
        // 10-column MOT15 files carry the world x (−1) where MOT17 has the class.
        var gt = new MotSequence("gt", [new MotRecord(1, 1, 0, 0, 10, 10, 1, -1, -1), new MotRecord(1, 2, 50, 0, 10, 10, 1, -1, -1)]);
        var pred = new MotSequence("pred", [MotRecord.Track(1, 1, 0, 0, 10, 10)]);

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal((1L, 1L), (m.TruePositives, m.FalseNegatives));
    }

    [Fact]
    public void Evaluate_ZeroMarkedRowUnderMot15_NotEvaluated()
    {
        var gt = new MotSequence("gt", [new MotRecord(1, 1, 0, 0, 10, 10, 0, -1, -1), new MotRecord(1, 2, 50, 0, 10, 10, 1, -1, -1)]);
        var pred = new MotSequence("pred", [MotRecord.Track(1, 1, 50, 0, 10, 10)]);

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal((1L, 0L, 1L), (m.TruePositives, m.FalseNegatives, m.GtDetections));
    }

    [Fact]
    public void Evaluate_Mot17RulesWithInvalidClass_Throws()
    {
        var gt = new MotSequence("gt", [new MotRecord(1, 1, 0, 0, 10, 10, 1, 20, 1)]);
        var pred = new MotSequence("pred", [MotRecord.Track(1, 1, 0, 0, 10, 10)]);

        var e = Assert.Throws<ArgumentException>(() => MotEvaluator.Evaluate(gt, pred, new MotEvaluationOptions { Rules = MotBenchmarkRules.Mot17 }));

        Assert.Contains("class 20", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ClassIdOption_EvaluatesThatClassOnly()
    {
        var gt = new MotSequence("gt", [new MotRecord(1, 1, 0, 0, 10, 10, 1, 3, 1), new MotRecord(1, 2, 50, 0, 10, 10, 1, 1, 1)]);
        var pred = new MotSequence("pred", [new MotRecord(1, 5, 0, 0, 10, 10, 0.9, 3, -1), new MotRecord(1, 6, 50, 0, 10, 10, 0.9, 1, -1)]);

        MotMetrics m = MotEvaluator.Evaluate(gt, pred, new MotEvaluationOptions { ClassId = 3 });

        Assert.Equal((1L, 0L, 0L), (m.TruePositives, m.FalseNegatives, m.FalsePositives));
        Assert.Equal(1, m.GtIds);
    }

    [Fact]
    public void Evaluate_MultiClassGroundTruthAgainstItself_RejectedByTrackEvalRulesHundredWhenIgnoringClasses()
    {
        // A multi-class export (cars and pedestrians, MOT class numbers) scored against itself.
        var rows = new List<MotRecord>();
        for (int f = 1; f <= 5; f++)
        {
            rows.Add(new MotRecord(f, 1, 10 * f, 0, 40, 20, 1, 3, 1));
            rows.Add(new MotRecord(f, 2, 200, 5 * f, 10, 30, 1, 1, 0.5));
        }
        var gt = new MotSequence("synthetic", rows);

        Assert.Throws<ArgumentException>(() => MotEvaluator.Evaluate(gt, gt));
        MotMetrics all = MotEvaluator.Evaluate(gt, gt, new MotEvaluationOptions { IgnoreClasses = true });
        MotMetrics cars = MotEvaluator.Evaluate(gt, gt, new MotEvaluationOptions { ClassId = 3 });

        Assert.Equal((100.0, 100.0, 100.0), (Math.Round(all.Hota, 9), Math.Round(all.Mota, 9), Math.Round(all.Idf1, 9)));
        Assert.Equal(10, all.TruePositives);
        Assert.Equal(5, cars.TruePositives);
        Assert.Equal(100, cars.Hota, 9);
    }

    [Fact]
    public void Evaluate_ClassIdWithIgnoreClasses_Throws()
    {
        MotSequence s = new MotBuilder().Walker(1, 2).Build();

        Assert.Throws<ArgumentException>(() => MotEvaluator.Evaluate(s, s, new MotEvaluationOptions { ClassId = 1, IgnoreClasses = true }));
    }
}
