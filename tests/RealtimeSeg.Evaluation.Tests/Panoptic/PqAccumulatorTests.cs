using RealtimeSeg.Evaluation.Panoptic;
using static RealtimeSeg.Evaluation.Tests.Panoptic.Grid;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Tests.Panoptic;

/// <summary>
/// Hand-made cases, each checked against numbers derived by hand from panopticapi's definition (derivations inline):
/// match iff same category and IoU &gt; 0.5 with IoU = I / (|p| + |g| − I − |p ∩ void|); per category
/// PQ = ΣIoU / (TP + FP/2 + FN/2), SQ = ΣIoU / TP, RQ = TP / (TP + FP/2 + FN/2); averages over categories with TP+FP+FN &gt; 0.
/// </summary>
public sealed class PqAccumulatorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void AddImage_PredictionEqualsGroundTruth_AllOnesAndAbsentCategoryExcluded()
    {
        IdMap gt = Map("11..2233", "1144..33");
        IdMap pred = Map("11..2233", "1144..33");
        CocoSegmentInfo[] segs = [Seg(gt, '1', Car), Seg(gt, '2', Person), Seg(gt, '3', Road), Seg(gt, '4', Car)];

        PqResult r = Score((gt, segs, pred, segs));

        // Car: 2 TP of IoU 1; person: 1 TP; road: 1 TP; sky: absent everywhere, so not averaged.
        AssertSummary(r.All, 1, 1, 1, 3);
        AssertSummary(r.Things, 1, 1, 1, 2);
        AssertSummary(r.Stuff, 1, 1, 1, 1);
        Assert.False(r.Categories.Single(c => c.CategoryId == Sky.Id).Counted);
        Assert.Equal((2, 0, 0), Counts(r, Car));
    }

    [Fact]
    public void AddImage_ShiftedSegmentIouJustAboveHalf_Matches()
    {
        IdMap gt = Map("11111111112222222222");
        IdMap pred = Map("22211111111112222222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)], pred, [Seg(pred, '1', Car), Seg(pred, '2', Road)]));

        // Car: I = 7 (x 3…9), U = 10 + 10 − 7 = 13, IoU = 7/13 > 0.5 → TP. Road: I = 7 (x 13…19), U = 13 → TP.
        // Each category PQ = SQ = 7/13, RQ = 1.
        AssertSummary(r.All, 7.0 / 13, 7.0 / 13, 1, 2);
        Assert.Equal((1, 0, 0), Counts(r, Car));
    }

    [Fact]
    public void AddImage_ShiftedSegmentIouJustBelowHalf_CountsMissAndFalseAlarm()
    {
        IdMap gt = Map("11111111112222222222");
        IdMap pred = Map("22221111111111222222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)], pred, [Seg(pred, '1', Car), Seg(pred, '2', Road)]));

        // Car: I = 6 (x 4…9), U = 10 + 10 − 6 = 14, IoU = 3/7 → no match: FN 1, and the prediction (no void) FP 1.
        // Road likewise (I = 6, U = 14). PQ = 0 / (0 + ½ + ½) = 0 for both.
        AssertSummary(r.All, 0, 0, 0, 2);
        Assert.Equal((0, 1, 1), Counts(r, Car));
        Assert.Equal((0, 1, 1), Counts(r, Road));
    }

    [Fact]
    public void AddImage_IouExactlyHalf_IsNotAMatch()
    {
        IdMap gt = Map("11112222");
        IdMap pred = Map("11..2222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)], pred, [Seg(pred, '1', Car), Seg(pred, '2', Road)]));

        // Car: I = 2, U = 2 + 4 − 2 − 0 = 4, IoU = 0.5, not > 0.5 → FN 1, FP 1 (none of it on void) → PQ 0.
        // Road: IoU 1 → PQ 1. All = (0 + 1) / 2.
        AssertSummary(r.All, 0.5, 0.5, 0.5, 2);
        Assert.Equal((0, 1, 1), Counts(r, Car));
    }

    [Fact]
    public void AddImage_SegmentSplitUnevenly_MatchesLargerPartAndCountsSmallerAsFalseAlarm()
    {
        IdMap gt = Map("111111112222");
        IdMap pred = Map("333334442222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)],
            pred, [Seg(pred, '3', Car), Seg(pred, '4', Car), Seg(pred, '2', Road)]));

        // Pred 3: I = 5, U = 5 + 8 − 5 = 8, IoU 0.625 → TP. Pred 4: I = 3, U = 8, IoU 0.375 → unmatched, not on void → FP.
        // Car: PQ = 0.625 / (1 + ½) = 5/12, SQ = 0.625, RQ = 1 / 1.5 = 2/3. Road: 1, 1, 1.
        PqCategoryResult car = r.Categories.Single(c => c.CategoryId == Car.Id);
        Assert.Equal(5.0 / 12, car.Pq, Tolerance);
        Assert.Equal(0.625, car.Sq, Tolerance);
        Assert.Equal(2.0 / 3, car.Rq, Tolerance);
        AssertSummary(r.All, (5.0 / 12 + 1) / 2, (0.625 + 1) / 2, (2.0 / 3 + 1) / 2, 2);
        Assert.Equal((1, 1, 0), Counts(r, Car));
    }

    [Fact]
    public void AddImage_SegmentSplitInHalves_NeitherHalfMatches()
    {
        IdMap gt = Map("111111112222");
        IdMap pred = Map("333344442222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)],
            pred, [Seg(pred, '3', Car), Seg(pred, '4', Car), Seg(pred, '2', Road)]));

        // Each half: I = 4, U = 4 + 8 − 4 = 8, IoU 0.5 → no match. Car: FN 1, FP 2 → PQ = RQ = 0.
        Assert.Equal((0, 2, 1), Counts(r, Car));
        Assert.Equal(0, r.Things.Pq);
        AssertSummary(r.All, 0.5, 0.5, 0.5, 2);
    }

    [Fact]
    public void AddImage_TwoSegmentsMerged_MatchesLargerAndMissesSmaller()
    {
        IdMap gt = Map("111111332222");
        IdMap pred = Map("555555552222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '3', Car), Seg(gt, '2', Road)],
            pred, [Seg(pred, '5', Car), Seg(pred, '2', Road)]));

        // Gt 1: I = 6, U = 8 + 6 − 6 = 8, IoU 0.75 → TP. Gt 3: I = 2, U = 8 + 2 − 2 = 8, IoU 0.25 → FN.
        // Car: PQ = 0.75 / (1 + ½) = 0.5, SQ = 0.75, RQ = 2/3.
        PqCategoryResult car = r.Categories.Single(c => c.CategoryId == Car.Id);
        Assert.Equal((0.5, 0.75, 2.0 / 3), (car.Pq, car.Sq, car.Rq), TupleComparer);
        Assert.Equal((1, 0, 1), Counts(r, Car));
    }

    [Fact]
    public void AddImage_Mislabelled_MissForTrueClassAndFalseAlarmForPredictedClass()
    {
        IdMap gt = Map("11112222");
        IdMap pred = Map("11112222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)], pred, [Seg(pred, '1', Person), Seg(pred, '2', Road)]));

        // Categories differ, so no match: car FN 1 (PQ 0), person FP 1 (PQ 0), road TP IoU 1.
        // All = (0 + 0 + 1) / 3; things = 0 over 2; stuff = 1 over 1.
        AssertSummary(r.All, 1.0 / 3, 1.0 / 3, 1.0 / 3, 3);
        AssertSummary(r.Things, 0, 0, 0, 2);
        AssertSummary(r.Stuff, 1, 1, 1, 1);
        Assert.Equal((0, 0, 1), Counts(r, Car));
        Assert.Equal((0, 1, 0), Counts(r, Person));
    }

    [Fact]
    public void AddImage_UnmatchedPredictionMostlyOnVoid_IsIgnored()
    {
        IdMap gt = Map("......2222222222");
        IdMap pred = Map("...3333222222222");
        PqResult r = Score((gt, [Seg(gt, '2', Road)], pred, [Seg(pred, '3', Car), Seg(pred, '2', Road)]));

        // Car 3: 4 px, 3 on void (x 3…5): 3/4 > ½ → ignored, so car has no TP/FP/FN and is not averaged.
        // Road: I = 9, U = 9 + 10 − 9 − 0 = 10, IoU 0.9 → TP. All = road alone.
        Assert.Equal((0, 0, 0), Counts(r, Car));
        AssertSummary(r.All, 0.9, 0.9, 1, 1);
        AssertSummary(r.Things, 0, 0, 0, 0);
    }

    [Fact]
    public void AddImage_UnmatchedPredictionMostlyOffVoid_IsFalseAlarm()
    {
        IdMap gt = Map("....222222222222");
        IdMap pred = Map("...3333222222222");
        PqResult r = Score((gt, [Seg(gt, '2', Road)], pred, [Seg(pred, '3', Car), Seg(pred, '2', Road)]));

        // Car 3: 1 of 4 px on void → FP. Road: I = 9, U = 9 + 12 − 9 = 12, IoU 0.75 → TP.
        // All = (car 0 + road 0.75) / 2; RQ = (0 + 1) / 2.
        Assert.Equal((0, 1, 0), Counts(r, Car));
        AssertSummary(r.All, 0.375, 0.375, 0.5, 2);
    }

    [Fact]
    public void AddImage_UnmatchedPredictionExactlyHalfOnVoid_IsFalseAlarm()
    {
        IdMap gt = Map("..22222222");
        IdMap pred = Map("3333222222");
        PqResult r = Score((gt, [Seg(gt, '2', Road)], pred, [Seg(pred, '3', Car), Seg(pred, '2', Road)]));

        // Car 3: 2 of 4 px on void = ½, not more than half → FP. Road: I = 6, U = 6 + 8 − 6 = 8 → 0.75.
        Assert.Equal((0, 1, 0), Counts(r, Car));
        AssertSummary(r.All, 0.375, 0.375, 0.5, 2);
    }

    [Fact]
    public void AddImage_PredictionPixelsOnVoid_LeftOutOfUnion()
    {
        IdMap gt = Map("..111111");
        IdMap pred = Map("11111111");
        PqResult r = Score((gt, [Seg(gt, '1', Car)], pred, [Seg(pred, '1', Car)]));

        // I = 6, U = 8 + 6 − 6 − 2 (pred on void) = 6 → IoU 1 (it would be 0.75 if void counted).
        AssertSummary(r.All, 1, 1, 1, 1);
    }

    [Fact]
    public void AddImage_PredictionsOverlappingCrowd_IgnoredOnlyForCrowdsOwnCategory()
    {
        // c = crowd of cars (12 px), 1 = a car (4 px), r = road (24 px).
        IdMap gt = Map("cccccc1111rrrrrrrrrr", "ccccccrrrrrrrrrrrrrr");
        // b = car on the crowd (7 px, 6 on it), a = the car, p = person on the crowd (4 px), s = road (25 px).
        IdMap pred = Map("bbbbbbaaaassssssssss", "ppppssbsssssssssssss");
        PqResult r = Score((gt, [Seg(gt, 'c', Car, crowd: true), Seg(gt, '1', Car), Seg(gt, 'r', Road)],
            pred, [Seg(pred, 'b', Car), Seg(pred, 'a', Car), Seg(pred, 'p', Person), Seg(pred, 's', Road)]));

        // a ↔ 1: I = 4, U = 4 → TP IoU 1. s ↔ r: I = 10 + 13 = 23, U = 25 + 24 − 23 = 26 → TP 23/26.
        // b: unmatched car, 6 of 7 px on the car crowd → ignored. p: person, on a *car* crowd, none on void → FP.
        // The crowd itself is never a miss. Car PQ 1; person PQ 0; road PQ = SQ = 23/26.
        double road = 23.0 / 26;
        Assert.Equal((1, 0, 0), Counts(r, Car));
        Assert.Equal((0, 1, 0), Counts(r, Person));
        AssertSummary(r.All, (1 + 0 + road) / 3, (1 + 0 + road) / 3, 2.0 / 3, 3);
        AssertSummary(r.Things, 0.5, 0.5, 0.5, 2);
        AssertSummary(r.Stuff, road, road, 1, 1);
    }

    [Fact]
    public void AddImage_PredictionEqualToCrowdRegion_NeitherMatchedNorCounted()
    {
        IdMap gt = Map("cccc1111");
        IdMap pred = Map("bbbb1111");
        PqResult r = Score((gt, [Seg(gt, 'c', Car, crowd: true), Seg(gt, '1', Car)], pred, [Seg(pred, 'b', Car), Seg(pred, '1', Car)]));

        // b equals the crowd (IoU 1) but crowds are never matched; all of b lies on the crowd → not a FP.
        Assert.Equal((1, 0, 0), Counts(r, Car));
        AssertSummary(r.All, 1, 1, 1, 1);
    }

    [Fact]
    public void AddImage_TwoImages_SumsCountsBeforeDividing()
    {
        IdMap gt = Map("11111");
        IdMap first = Map("1111.");
        IdMap second = Map(".....");
        CocoSegmentInfo[] gtSegs = [Seg(gt, '1', Car)];

        PqResult r = Score((gt, gtSegs, first, [Seg(first, '1', Car)]), (gt, gtSegs, second, []));

        // Image 1: I = 4, U = 4 + 5 − 4 = 5 → TP 0.8. Image 2: FN. Car over both: PQ = 0.8 / (1 + ½) = 8/15,
        // SQ = 0.8, RQ = 2/3 (a mean of per-image PQs would give 0.4).
        AssertSummary(r.All, 8.0 / 15, 0.8, 2.0 / 3, 1);
        Assert.Equal(2, r.ImageCount);
    }

    [Fact]
    public void AddImage_GroundTruthArea_IsTakenFromSegmentsInfo()
    {
        IdMap gt = Map("11112222");
        IdMap pred = Map("11112222");
        CocoSegmentInfo car = Seg(gt, '1', Car) with { Area = 10 };
        PqResult r = Score((gt, [car, Seg(gt, '2', Road)], pred, [Seg(pred, '1', Car), Seg(pred, '2', Road)]));

        // As in panopticapi, U = |p| + area_json − I = 4 + 10 − 4 = 10 → IoU 0.4 → FN + FP, although the maps agree.
        Assert.Equal((0, 1, 1), Counts(r, Car));
    }

    [Fact]
    public void AddImage_GroundTruthIdNotInSegmentsInfo_IsNotVoid()
    {
        IdMap gt = Map("9911");
        IdMap pred = Map("1111");
        PqResult r = Score((gt, [Seg(gt, '1', Car)], pred, [Seg(pred, '1', Car)]));

        // Id 9 is unlisted: not void, so not subtracted. I = 2, U = 4 + 2 − 2 = 4 → IoU 0.5 → FN + FP.
        // (Were it void, U = 2 and IoU = 1.)
        Assert.Equal((0, 1, 1), Counts(r, Car));
    }

    [Fact]
    public void AddImage_PredictionIdMissingFromSegmentsInfo_Throws()
    {
        IdMap gt = Map("1111");
        IdMap pred = Map("1177");
        var acc = new PqAccumulator(Categories);

        var e = Assert.Throws<InvalidDataException>(() => acc.AddImage(gt, [Seg(gt, '1', Car)], pred, [Seg(pred, '1', Car)], "p.png"));

        Assert.Contains("segment id 7", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("p.png", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImage_ListedPredictionAbsentFromPng_Throws()
    {
        IdMap gt = Map("1111");
        IdMap pred = Map("1111");
        var acc = new PqAccumulator(Categories);

        var e = Assert.Throws<InvalidDataException>(() =>
            acc.AddImage(gt, [Seg(gt, '1', Car)], pred, [Seg(pred, '1', Car), new CocoSegmentInfo { Id = 5, CategoryId = Car.Id }]));

        Assert.Contains("segment 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImage_PredictionWithUnknownCategory_Throws()
    {
        IdMap gt = Map("1111");
        var acc = new PqAccumulator(Categories);

        var e = Assert.Throws<InvalidDataException>(() =>
            acc.AddImage(gt, [Seg(gt, '1', Car)], gt, [new CocoSegmentInfo { Id = 1, CategoryId = 99 }]));

        Assert.Contains("category 99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImage_SizesDiffer_Throws()
    {
        IdMap gt = Map("1111");
        IdMap pred = Map("11", "11");
        var acc = new PqAccumulator(Categories);

        Assert.Throws<InvalidDataException>(() => acc.AddImage(gt, [Seg(gt, '1', Car)], pred, [Seg(pred, '1', Car)]));
    }

    [Fact]
    public void AddImage_SegmentIdListedTwice_Throws()
    {
        IdMap gt = Map("1111");
        var acc = new PqAccumulator(Categories);

        var e = Assert.Throws<InvalidDataException>(() => acc.AddImage(gt, [Seg(gt, '1', Car), Seg(gt, '1', Road)], gt, [Seg(gt, '1', Car)]));

        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetResult_NothingAdded_ZeroOverNoCategories()
    {
        PqResult r = new PqAccumulator(Categories).GetResult();

        AssertSummary(r.All, 0, 0, 0, 0);
        Assert.Equal(0, r.ImageCount);
    }

    [Fact]
    public void ToTable_SplitCase_PrintsPanopticapiRowsAndCountedCategories()
    {
        IdMap gt = Map("111111112222");
        IdMap pred = Map("333334442222");
        PqResult r = Score((gt, [Seg(gt, '1', Car), Seg(gt, '2', Road)],
            pred, [Seg(pred, '3', Car), Seg(pred, '4', Car), Seg(pred, '2', Road)]));

        string[] lines = r.ToTable().Split('\n');

        // All: PQ = (5/12 + 1) / 2 = 70.83 %, SQ = 81.25 %, RQ = 83.33 %. 81.25 is an exact tie, printed 81.2 as
        // Python's '{:5.1f}' (panopticapi) prints it.
        Assert.Equal("          |    PQ     SQ     RQ     N", lines[0]);
        Assert.Equal("All       |  70.8   81.2   83.3     2", lines[2]);
        Assert.Equal("Things    |  41.7   62.5   66.7     1", lines[3]);
        Assert.Contains(lines, l => l.StartsWith("car ", StringComparison.Ordinal) && l.EndsWith("      1      1      0", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("sky", StringComparison.Ordinal));
    }

    private static PqResult Score(params (IdMap Gt, CocoSegmentInfo[] GtSegs, IdMap Pred, CocoSegmentInfo[] PredSegs)[] images)
    {
        var acc = new PqAccumulator(Categories);
        foreach (var (g, gs, p, ps) in images)
        {
            acc.AddImage(g, gs, p, ps);
        }
        return acc.GetResult();
    }

    private static (int Tp, int Fp, int Fn) Counts(PqResult r, CocoCategory category)
    {
        PqCategoryResult c = r.Categories.Single(x => x.CategoryId == category.Id);
        return (c.Tp, c.Fp, c.Fn);
    }

    private static void AssertSummary(PqSummary s, double pq, double sq, double rq, int n)
    {
        Assert.Equal(n, s.N);
        Assert.Equal(pq, s.Pq, Tolerance);
        Assert.Equal(sq, s.Sq, Tolerance);
        Assert.Equal(rq, s.Rq, Tolerance);
    }

    private static readonly IEqualityComparer<(double, double, double)> TupleComparer = new TripleComparer();

    private sealed class TripleComparer : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) x, (double, double, double) y)
            => Math.Abs(x.Item1 - y.Item1) < Tolerance && Math.Abs(x.Item2 - y.Item2) < Tolerance && Math.Abs(x.Item3 - y.Item3) < Tolerance;

        public int GetHashCode((double, double, double) obj) => 0;
    }
}
