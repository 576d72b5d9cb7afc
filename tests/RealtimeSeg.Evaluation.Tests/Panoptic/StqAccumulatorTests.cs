using RealtimeSeg.Evaluation.Panoptic;
using static RealtimeSeg.Evaluation.Tests.Panoptic.Grid;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Tests.Panoptic;

/// <summary>
/// Hand-made sequences with hand-derived figures. Definitions used in the derivations: for a ground-truth track g and
/// predicted track p, TPA = |g ∩ p|, IoU(g, p) = TPA / (|g| + |p| − TPA); AQ = (1/|G|) Σ_g (1/|g|) Σ_p TPA · IoU(g, p);
/// SQ = mean over classes present of TP / (TP + FP + FN) over the sequence; STQ = √(AQ · SQ).
/// </summary>
public sealed class StqAccumulatorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void AddFrame_PredictionEqualsGroundTruth_AllOne()
    {
        IdMap f1 = Map("1122", "..33"), f2 = Map("1122", "3333");
        CocoSegmentInfo[] s1 = [Seg(f1, '1', Car, track: 5), Seg(f1, '2', Road), Seg(f1, '3', Car, track: 6)];
        CocoSegmentInfo[] s2 = [Seg(f2, '1', Car, track: 5), Seg(f2, '2', Road), Seg(f2, '3', Car, track: 6)];

        StqResult r = Score((f1, s1, f1, s1), (f2, s2, f2, s2));

        Assert.Equal((1.0, 1.0, 1.0), (r.Stq, r.Aq, r.Sq));
        Assert.Equal((2, 2, 2), (r.FrameCount, r.GtTrackCount, r.PredTrackCount));
        Assert.Equal(2, r.Classes.Count);
    }

    [Fact]
    public void AddFrame_IdSwitchHalfway_HalvesAssociationQuality()
    {
        // Four frames of [car, car, road, road]. The ground-truth car is track 7 throughout (its segment id changes
        // from 1 to 3, which must not matter); the prediction, without track ids, uses segment 1 then segment 2.
        IdMap g12 = Map("1122"), g34 = Map("3322"), p12 = Map("1122"), p34 = Map("2211");
        CocoSegmentInfo[] gs12 = [Seg(g12, '1', Car, track: 7), Seg(g12, '2', Road)];
        CocoSegmentInfo[] gs34 = [Seg(g34, '3', Car, track: 7), Seg(g34, '2', Road)];
        CocoSegmentInfo[] ps12 = [Seg(p12, '1', Car), Seg(p12, '2', Road)];
        CocoSegmentInfo[] ps34 = [Seg(p34, '2', Car), Seg(p34, '1', Road)];

        StqResult r = Score((g12, gs12, p12, ps12), (g12, gs12, p12, ps12), (g34, gs34, p34, ps34), (g34, gs34, p34, ps34));

        // |g| = 8. p1 = frames 1–2: TPA 4, |p1| = 4, IoU = 4 / (8 + 4 − 4) = ½ → 4 · ½ = 2; p2 likewise 2.
        // AQ = (1/1) · (1/8) · (2 + 2) = ½. SQ: car and road IoU 1 → 1. STQ = √½.
        // (deeplab2's stq.py on the same sequence: STQ 0.70710678, AQ 0.5, IoU 1.0.)
        Assert.Equal(0.5, r.Aq, Tolerance);
        Assert.Equal(1.0, r.Sq, Tolerance);
        Assert.Equal(Math.Sqrt(0.5), r.Stq, Tolerance);
        Assert.Equal((1, 2), (r.GtTrackCount, r.PredTrackCount));
    }

    [Fact]
    public void AddFrame_ThingClassErrorInSecondFrame_LowersBothTerms()
    {
        // Two frames of [car, car, road, road], car track 1. Frame 2 predicts the car's pixels as person track 1.
        IdMap map = Map("1122");
        CocoSegmentInfo[] gt = [Seg(map, '1', Car, track: 1), Seg(map, '2', Road)];
        CocoSegmentInfo[] asPerson = [Seg(map, '1', Person, track: 1), Seg(map, '2', Road)];

        StqResult r = Score((map, gt, map, gt), (map, gt, map, asPerson));

        // SQ: car TP 2, FN 2 → ½; person FP 2 → 0; road → 1. Mean over 3 classes = ½.
        // AQ is class-agnostic but tracks are (class, instance): (car,1) and (person,1) each have TPA 2, size 2;
        // IoU = 2 / (4 + 2 − 2) = ½ each → (1/4) · (2·½ + 2·½) = ½. STQ = √(½ · ½) = ½.
        Assert.Equal(0.5, r.Sq, Tolerance);
        Assert.Equal(0.5, r.Aq, Tolerance);
        Assert.Equal(0.5, r.Stq, Tolerance);
        Assert.Equal(0.0, r.Classes.Single(c => c.CategoryId == Person.Id).Iou);
        Assert.Equal((2L, 0L, 2L), Confusion(r, Car));
    }

    [Fact]
    public void AddFrame_StuffClassError_LowersOnlySegmentationQuality()
    {
        IdMap map = Map("1122");
        CocoSegmentInfo[] gt = [Seg(map, '1', Car, track: 1), Seg(map, '2', Road)];
        CocoSegmentInfo[] asSky = [Seg(map, '1', Car, track: 1), Seg(map, '2', Sky)];

        StqResult r = Score((map, gt, map, gt), (map, gt, map, asSky));

        // Road TP 2, FN 2 → ½; sky FP 2 → 0; car 1 → SQ = 1.5 / 3 = ½. The car is tracked perfectly: AQ = 1.
        Assert.Equal((1.0, 0.5), (r.Aq, r.Sq));
        Assert.Equal(Math.Sqrt(0.5), r.Stq, Tolerance);
    }

    [Fact]
    public void AddFrame_VoidPredictionOnLabelledPixel_IsAMissByDefaultAndAClassWithReferenceOption()
    {
        IdMap gt = Map("1122"), pred = Map("1.22");
        CocoSegmentInfo[] gs = [Seg(gt, '1', Car, track: 1), Seg(gt, '2', Road)];
        CocoSegmentInfo[] ps = [Seg(pred, '1', Car, track: 1), Seg(pred, '2', Road)];

        StqResult standard = Score((gt, gs, pred, ps));
        var reference = new StqAccumulator(Categories, new StqOptions { CountVoidPredictionsAsClass = true });
        reference.AddFrame(gt, gs, pred, ps);
        StqResult deeplab = reference.GetResult();

        // AQ: |g| = 2, |p| = 1, TPA 1, IoU ½ → (1/2) · 1 · ½ = ¼ either way.
        // Default SQ: car TP 1, FN 1 → ½; road 1 → ¾. Reference: plus a void column of IoU 0 → (½ + 1 + 0) / 3 = ½.
        // (deeplab2's stq.py, void predicted as its ignore label 255: STQ 0.35355339, AQ 0.25, IoU 0.5.)
        Assert.Equal((0.25, 0.75), (standard.Aq, standard.Sq));
        Assert.Equal(Math.Sqrt(0.1875), standard.Stq, Tolerance);
        Assert.Equal((0.25, 0.5), (deeplab.Aq, deeplab.Sq));
        Assert.Equal(Math.Sqrt(0.125), deeplab.Stq, Tolerance);
        Assert.Contains(deeplab.Classes, c => c.CategoryId == -1 && c.FalsePositives == 1);
    }

    [Fact]
    public void AddFrame_GroundTruthVoid_IgnoredForSegmentationButCountedInPredictedTrackArea()
    {
        IdMap gt = Map("11..");
        IdMap pred = Map("1111");
        CocoSegmentInfo[] gs = [Seg(gt, '1', Car, track: 1)];
        CocoSegmentInfo[] ps = [Seg(pred, '1', Car, track: 3)];

        StqResult r = Score((gt, gs, pred, ps));

        // SQ: void ground truth is ignored → car TP 2, no FP → 1. AQ: |p| = 4 includes the void pixels (the
        // reference masks predictions by class only): IoU = 2 / (2 + 4 − 2) = ½ → (1/2) · 2 · ½ = ½.
        Assert.Equal((0.5, 1.0), (r.Aq, r.Sq));
    }

    [Fact]
    public void AddFrame_NoGroundTruthTracks_AssociationQualityZero()
    {
        IdMap map = Map("2222");
        CocoSegmentInfo[] segs = [Seg(map, '2', Road)];

        StqResult r = Score((map, segs, map, segs));

        // As in the reference, AQ = 0 / max(0 tracks, ε) = 0, hence STQ = 0 even with perfect stuff.
        Assert.Equal((0.0, 1.0, 0.0), (r.Aq, r.Sq, r.Stq));
    }

    [Fact]
    public void AddFrame_UnknownCategory_Throws()
    {
        IdMap map = Map("11");
        var acc = new StqAccumulator(Categories);

        var e = Assert.Throws<InvalidDataException>(() =>
            acc.AddFrame(map, [Seg(map, '1', Car)], map, [new CocoSegmentInfo { Id = 1, CategoryId = 77 }], "f.png"));

        Assert.Contains("category 77", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToTableAndToJson_IdSwitch_RenderPercentages()
    {
        IdMap map = Map("1122");
        CocoSegmentInfo[] gt = [Seg(map, '1', Car, track: 1), Seg(map, '2', Road)];
        CocoSegmentInfo[] a = [Seg(map, '1', Car, track: 1), Seg(map, '2', Road)];
        CocoSegmentInfo[] b = [Seg(map, '1', Car, track: 2), Seg(map, '2', Road)];
        StqResult r = Score((map, gt, map, a), (map, gt, map, b));

        string[] table = r.ToTable().Split('\n');
        using var json = System.Text.Json.JsonDocument.Parse(r.ToJson());

        Assert.Equal("   70.71    50.00   100.00       2          1            2", table[1]);
        Assert.Equal(50.0, json.RootElement.GetProperty("aq").GetDouble(), 1e-9);
        Assert.Equal(2, json.RootElement.GetProperty("classes").GetArrayLength());
    }

    // deeplab2's own unit tests for stq.py (segmentation_and_tracking_quality_test.py, test_basic_examples), ported:
    // classes [car (thing), sky]; the reference's figures (STQ, AQ, IoU) are the expected values.
    [Theory]
    [InlineData(new[] { 1, 1, 1, 1, 1 }, new[] { 1, 1, 1, 1, 1 }, 1.0, 1.0, 1.0)]
    [InlineData(new[] { 1, 1, 1, 1, 1 }, new[] { 1, 1, 2, 2, 2 }, 0.72111026, 0.52, 1.0)]
    [InlineData(new[] { 1, 1, 1, 1, 1 }, new[] { 1, 2, 2, 2, 2 }, 0.82462113, 0.68, 1.0)]
    [InlineData(new[] { 1, 1, 1, 1, 1 }, new[] { 1, 2, 3, 4, 5 }, 0.447213596, 0.2, 1.0)]
    [InlineData(new[] { 1, 1, 1, 1, 1 }, new[] { 1, 2, 1, 2, 2 }, 0.72111026, 0.52, 1.0)]
    [InlineData(new[] { 1, 1, 1, 1, 1 }, new[] { -1, 1, 1, 1, 1 }, 0.50596443, 0.64, 0.4)]
    [InlineData(new[] { 0, 1, 1, 1, 1, 1 }, new[] { 1, 1, 1, 1, 1, 1 }, 1.0, 1.0, 1.0)]
    [InlineData(new[] { 0, 1, 1, 1, 1, 1 }, new[] { 2, 2, 2, 2, 1, 1 }, 0.72111026, 0.52, 1.0)]
    [InlineData(new[] { 0, 1, 1, 1, 1, 1 }, new[] { 2, 2, -1, 1, 1, 1 }, 0.40824829, 0.4, 5.0 / 12.0)]
    [InlineData(new[] { -1, 1, 1, 1, 1 }, new[] { 1, 1, 1, 1, 1 }, 0.56568542, 0.8, 0.4)]
    [InlineData(new[] { -1, 1, 1, 1, 1 }, new[] { 2, 2, 2, 1, 1 }, 0.42426407, 0.45, 0.4)]
    [InlineData(new[] { -1, 1, 1, 1, 1 }, new[] { 2, 2, -1, 1, 1 }, 0.3, 0.3, 0.3)]
    public void AddFrame_Deeplab2BasicExamples_ReproduceReference(int[] gtTrack, int[] predTrack, double stq, double aq, double iou)
    {
        // Encoding: a value ≥ 0 is a car with that instance (0 = crowd in the ground truth), −1 is sky.
        int[][] gtSem = [[.. gtTrack.Select(t => t < 0 ? 1 : 0)]], gtInst = [[.. gtTrack.Select(t => Math.Max(t, 0))]];
        int[][] predSem = [[.. predTrack.Select(t => t < 0 ? 1 : 0)]], predInst = [[.. predTrack.Select(t => Math.Max(t, 0))]];
        var acc = new StqAccumulator(ReferenceFrames.BasicCategories);
        (IdMap g, CocoSegmentInfo[] gs) = ReferenceFrames.Encode(gtSem, gtInst, ReferenceFrames.BasicCategories, groundTruth: true);
        (IdMap p, CocoSegmentInfo[] ps) = ReferenceFrames.Encode(predSem, predInst, ReferenceFrames.BasicCategories, groundTruth: false);

        acc.AddFrame(g, gs, p, ps);
        StqResult r = acc.GetResult();

        Assert.Equal(stq, r.Stq, 1e-7);
        Assert.Equal(aq, r.Aq, 1e-7);
        Assert.Equal(iou, r.Sq, 1e-7);
    }

    [Fact]
    public void AddFrame_Deeplab2ComplexExample_ReproducesReference()
    {
        // deeplab2's test_complex_example: 3 frames of 8x8, classes [sky, vegetation, cars (thing)].
        var acc = new StqAccumulator(ReferenceFrames.ComplexCategories);
        for (int f = 0; f < 3; f++)
        {
            (IdMap g, CocoSegmentInfo[] gs) = ReferenceFrames.Encode(ReferenceFrames.ComplexGtSemantic[f], ReferenceFrames.ComplexGtInstance[f],
                ReferenceFrames.ComplexCategories, groundTruth: true);
            (IdMap p, CocoSegmentInfo[] ps) = ReferenceFrames.Encode(ReferenceFrames.ComplexPredSemantic[f], ReferenceFrames.ComplexPredInstance[f],
                ReferenceFrames.ComplexCategories, groundTruth: false);
            acc.AddFrame(g, gs, p, ps);
        }

        StqResult r = acc.GetResult();

        Assert.Equal(0.66841773352, r.Stq, 1e-10);
        Assert.Equal(0.55366581415, r.Aq, 1e-10);
        Assert.Equal(0.8069529580309542, r.Sq, 1e-12);
    }

    private static StqResult Score(params (IdMap Gt, CocoSegmentInfo[] GtSegs, IdMap Pred, CocoSegmentInfo[] PredSegs)[] frames)
    {
        var acc = new StqAccumulator(Categories);
        foreach (var (g, gs, p, ps) in frames)
        {
            acc.AddFrame(g, gs, p, ps);
        }
        return acc.GetResult();
    }

    private static (long, long, long) Confusion(StqResult r, CocoCategory category)
    {
        StqClassResult c = r.Classes.Single(x => x.CategoryId == category.Id);
        return (c.TruePositives, c.FalsePositives, c.FalseNegatives);
    }
}
