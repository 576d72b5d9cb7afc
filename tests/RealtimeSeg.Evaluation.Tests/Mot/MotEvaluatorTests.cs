using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

/// <summary>Hand-made cases whose figures follow from the definitions by hand.</summary>
public sealed class MotEvaluatorTests
{
    private const int Frames = 10;

    [Fact]
    public void Evaluate_PerfectTracker_HundredEverywhere()
    {
        MotSequence gt = new MotBuilder().Walker(1, Frames).Walker(2, Frames, y: 50).Build();
        MotSequence pred = new MotBuilder().Walker(7, Frames).Walker(9, Frames, y: 50).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        foreach (double score in new[] { m.Hota, m.DetA, m.AssA, m.LocA, m.DetRe, m.DetPr, m.AssRe, m.AssPr, m.Mota, m.Motp, m.Moda, m.Idf1, m.Idp, m.Idr })
        {
            Assert.Equal(100, score, 9);
        }
        Assert.Equal((0L, 0L, 0L, 0L), (m.IdSwitches, m.FalsePositives, m.FalseNegatives, m.Fragmentations));
        Assert.Equal((2L, 0L, 0L), (m.MostlyTracked, m.PartiallyTracked, m.MostlyLost));
        Assert.Equal(2 * Frames, m.TruePositives);
    }

    [Fact]
    public void Evaluate_OneIdSwitch_CountedOnceAndAssociationHalved()
    {
        MotSequence gt = new MotBuilder().Walker(1, Frames).Build();
        MotSequence pred = new MotBuilder().Walker(1, 5).Walker(2, 5, firstFrame: 6).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal(1, m.IdSwitches);
        Assert.Equal(90, m.Mota, 9);                    // (10 − 0 − 1) / 10
        Assert.Equal(100, m.DetA, 9);
        Assert.Equal(50, m.AssA, 9);                    // each match: 5 / (5 + 5 + 0)
        Assert.Equal(100 * Math.Sqrt(0.5), m.Hota, 9);
        Assert.Equal((5L, 5L, 5L), (m.IdTruePositives, m.IdFalseNegatives, m.IdFalsePositives));
        Assert.Equal(50, m.Idf1, 9);
        Assert.Equal(0, m.Fragmentations);              // tracked throughout, only the id changed
    }

    [Fact]
    public void Evaluate_OneFalsePositive_CountedInDetectionScores()
    {
        MotSequence gt = new MotBuilder().Walker(1, Frames).Build();
        MotSequence pred = new MotBuilder().Walker(1, Frames).Box(3, 2, 300, 300).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal((1L, 0L, 0L), (m.FalsePositives, m.FalseNegatives, m.IdSwitches));
        Assert.Equal(90, m.Mota, 9);
        Assert.Equal(100.0 * 10 / 11, m.DetA, 9);
        Assert.Equal(100, m.AssA, 9);
        Assert.Equal(100 * Math.Sqrt(10.0 / 11), m.Hota, 9);
        Assert.Equal(100 * 10 / 10.5, m.Idf1, 9);       // IDTP 10, IDFP 1
        Assert.Equal(100.0 * 10 / 11, m.ClearPrecision, 9);
    }

    [Fact]
    public void Evaluate_OneFalseNegative_CountedInDetectionAndAssociation()
    {
        MotSequence gt = new MotBuilder().Walker(1, Frames).Build();
        MotSequence pred = new MotBuilder().Walker(1, 4).Walker(1, 5, firstFrame: 6).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal((0L, 1L, 0L), (m.FalsePositives, m.FalseNegatives, m.IdSwitches));
        Assert.Equal(90, m.Mota, 9);
        Assert.Equal(90, m.DetA, 9);
        Assert.Equal(90, m.AssA, 9);                     // 9 / (10 + 9 − 9)
        Assert.Equal(90, m.Hota, 9);
        Assert.Equal(100 * 9 / 9.5, m.Idf1, 9);
        Assert.Equal(1, m.MostlyTracked);                // 9 of 10 frames > 80 %
        // TrackEval skips a frame without any prediction before updating its "tracked last frame" state, so a
        // gap in which the tracker reports nothing at all is not a fragmentation.
        Assert.Equal(0, m.Fragmentations);
    }

    [Fact]
    public void Evaluate_MissWhileTrackerReportsElsewhere_OneFragmentation()
    {
        MotSequence gt = new MotBuilder().Walker(1, Frames).Build();
        MotSequence pred = new MotBuilder().Walker(1, 4).Box(5, 2, 300, 300).Walker(1, 5, firstFrame: 6).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal((1L, 1L), (m.FalsePositives, m.FalseNegatives));
        Assert.Equal(1, m.Fragmentations);
    }

    [Fact]
    public void Evaluate_EmptyTracker_AllMissedAndLocAOne()
    {
        MotSequence gt = new MotBuilder().Walker(1, Frames).Walker(2, Frames, y: 50).Build();
        MotSequence pred = new MotBuilder().Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal(2 * Frames, m.FalseNegatives);
        Assert.Equal(2, m.MostlyLost);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (m.Hota, m.Mota, m.Idf1, m.Motp));
        Assert.Equal(100, m.LocA, 9);                    // TrackEval's convention for an empty tracker
        Assert.Equal(2 * Frames, m.IdFalseNegatives);
    }

    [Fact]
    public void Evaluate_EmptyGroundTruth_AllFalsePositivesAndMotaZero()
    {
        MotSequence gt = new MotBuilder().Build();
        MotSequence pred = new MotBuilder().Walker(4, Frames).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal(Frames, m.FalsePositives);
        Assert.Equal(Frames, m.IdFalsePositives);
        // TrackEval returns before deriving scores for an empty sequence: MOTA stays 0 rather than −FP.
        Assert.Equal((0.0, 0.0, 0.0), (m.Hota, m.Mota, m.Idf1));
        Assert.Equal(Frames, m.Frames);
    }

    [Fact]
    public void Evaluate_IouExactlyHalf_MatchesAtHalfButNotAbove()
    {
        // Half-height box: IoU = 50 / 100 = 0.5 exactly. Matches for α ≤ 0.5 (10 of 19 α) and for CLEAR/Identity.
        MotSequence gt = new MotBuilder().Box(1, 1, 0, 0, 10, 10).Box(2, 1, 5, 0, 10, 10).Build();
        MotSequence pred = new MotBuilder().Box(1, 1, 0, 0, 10, 5).Box(2, 1, 5, 0, 10, 5).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal(2, m.TruePositives);
        Assert.Equal(50, m.Motp, 9);
        Assert.Equal(100, m.Idf1, 9);
        Assert.Equal(100.0 * 10 / 19, m.DetA, 9);
        Assert.Equal(100.0 * 10 / 19, m.Hota, 9);
        // LocA is 0.5 where matched and TrackEval's 1 (no matches) above: (10 · 0.5 + 9 · 1) / 19.
        Assert.Equal(100.0 * 14 / 19, m.LocA, 9);
        Assert.Equal(100, m.HotaByAlpha[9], 9);
        Assert.Equal(0, m.HotaByAlpha[10], 9);
    }

    [Fact]
    public void Evaluate_CrossingWithBetterSwappedIou_ClearKeepsPreviousMatches()
    {
        // Frame 1 pairs tracker 1 with gt A and 2 with B. In frame 2 the swapped pairing has the higher total IoU
        // (2 × 1.0 against 2 × 0.667) but CLEAR's 1000 bonus keeps the previous pairs: no switch.
        MotSequence gt = new MotBuilder().Box(1, 1, 0, 0).Box(1, 2, 100, 0).Box(2, 1, 0, 0).Box(2, 2, 2, 0).Build();
        MotSequence pred = new MotBuilder().Box(1, 1, 0, 0).Box(1, 2, 100, 0).Box(2, 1, 2, 0).Box(2, 2, 0, 0).Build();

        MotMetrics m = MotEvaluator.Evaluate(gt, pred);

        Assert.Equal(0, m.IdSwitches);
        Assert.Equal(4, m.TruePositives);
        Assert.Equal(100 * (2 + 2 * (80.0 / 120)) / 4, m.Motp, 9);
    }

    [Fact]
    public void Evaluate_IdTwiceInOneFrame_ThrowsNamingIt()
    {
        MotSequence gt = new MotBuilder().Walker(1, 3).Build();
        MotSequence pred = new MotBuilder().Walker(1, 3).Box(2, 1, 200, 200).Build();

        var e = Assert.Throws<ArgumentException>(() => MotEvaluator.Evaluate(gt, pred));

        Assert.Contains("id 1 appears twice in frame 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DetectionsFileWithRepeatedIdMinusOne_ThrowsNamingFileLine()
    {
        MotSequence dets = MotTextReader.Read(new StringReader("1,-1,0,0,10,10,0.9\n1,-1,50,0,10,10,0.8\n"), "det.txt", "det");

        var e = Assert.Throws<MotFormatException>(() => MotEvaluator.Evaluate(dets, dets));

        Assert.Equal(2, e.LineNumber);
        Assert.Contains("id -1 appears twice in frame 1 (first at line 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PredictionOfAnotherClass_Throws()
    {
        MotSequence gt = new MotBuilder().Walker(1, 3).Build();
        MotSequence pred = new MotSequence("p", [new MotRecord(1, 1, 5, 0, 10, 10, 1, 3, -1)]);

        var e = Assert.Throws<ArgumentException>(() => MotEvaluator.Evaluate(gt, pred));

        Assert.Contains("class 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_Sequences_SumsCountsAndReDerivesScores()
    {
        MotMetrics a = MotEvaluator.Evaluate(new MotBuilder("a").Walker(1, Frames).Build(), new MotBuilder().Walker(1, 5).Build());
        MotMetrics b = MotEvaluator.Evaluate(new MotBuilder("b").Walker(1, Frames).Build(), new MotBuilder().Walker(1, Frames).Box(3, 2, 300, 300).Build());

        MotMetrics c = MotEvaluator.Combine([a, b]);

        Assert.Equal(a.FalseNegatives + b.FalseNegatives, c.FalseNegatives);
        Assert.Equal(a.FalsePositives + b.FalsePositives, c.FalsePositives);
        Assert.Equal(100.0 * (15 - 1) / 20, c.Mota, 9);      // not the mean of 50 and 90
        Assert.Equal(100.0 * 15 / (15 + 5 + 1), c.DetA, 9);
        Assert.Equal(a.Frames + b.Frames, c.Frames);
        Assert.Equal("COMBINED", c.Name);
    }

    [Fact]
    public void Combine_Nothing_Throws()
    {
        Assert.Throws<ArgumentException>(() => MotEvaluator.Combine([]));
    }
}
