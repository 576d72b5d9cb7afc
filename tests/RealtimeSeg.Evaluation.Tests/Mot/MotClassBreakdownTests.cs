using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

public sealed class MotClassBreakdownTests
{
    [Fact]
    public void Evaluate_TwoClassesPredictionFindsOnlyCars_CarsPerfectPedestriansZeroPooledBetween()
    {
        MotSequence gt = Scene(withClasses: true);
        var pred = new MotSequence("s", gt.Span.ToArray().Where(r => r.ClassId == 3), gt.FrameCount);

        MotClassBreakdown result = MotClassBreakdown.Evaluate([(gt, pred)], MotBenchmarkRules.Auto);

        Assert.Null(result.Note);
        Assert.Equal(["class 1", "class 3"], result.Classes.Select(c => c.Name));
        Assert.Equal(0, result.Classes[0].Hota, 6);
        Assert.Equal(100, result.Classes[1].Hota, 6);
        Assert.Equal("all classes", result.Combined.Name);
        Assert.InRange(result.Combined.Hota, 1, 99);
        Assert.Contains("class 3", result.FormatTable(), StringComparison.Ordinal);
        Assert.Contains("\"classes\"", result.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PredictionsWithoutClasses_PooledOnlyWithANote()
    {
        MotSequence gt = Scene(withClasses: true);
        var pred = new MotSequence("s", gt.Span.ToArray().Select(r => MotRecord.Track(r.Frame, r.Id, r.X, r.Y, r.Width, r.Height)), gt.FrameCount);

        MotClassBreakdown result = MotClassBreakdown.Evaluate([(gt, pred)], MotBenchmarkRules.Auto);

        Assert.Empty(result.Classes);
        Assert.Contains("1, 3", result.Note, StringComparison.Ordinal);
        Assert.Equal(100, result.Combined.Hota, 6);
        Assert.Equal(100, Assert.Single(result.Sequences).Hota, 6);
    }

    [Fact]
    public void Evaluate_SingleClassGroundTruth_IsTheTrackEvalEvaluation()
    {
        MotSequence gt = Scene(withClasses: false);
        var pred = new MotSequence("s", gt.Span.ToArray().Where(r => r.Id != 2).Select(r => MotRecord.Track(r.Frame, r.Id, r.X, r.Y, r.Width, r.Height)), gt.FrameCount);

        MotClassBreakdown result = MotClassBreakdown.Evaluate([(gt, pred)], MotBenchmarkRules.Auto);

        Assert.Empty(result.Classes);
        Assert.Null(result.Note);
        MotMetrics expected = MotEvaluator.Evaluate(gt, pred);
        Assert.Equal(expected.Hota, Assert.Single(result.Sequences).Hota);
        Assert.Equal(expected.Hota, result.Combined.Hota, 12);
    }

    /// <summary>Two objects for 20 frames: a pedestrian (class 1) and a car (3), or both class 1.</summary>
    private static MotSequence Scene(bool withClasses)
    {
        var rows = new List<MotRecord>();
        for (int f = 1; f <= 20; f++)
        {
            rows.Add(new MotRecord(f, 1, 10 + f, 10, 20, 40, 1, 1, 1));
            rows.Add(new MotRecord(f, 2, 200 + f, 50, 60, 30, 1, withClasses ? 3 : 1, 1));
        }
        return new MotSequence("s", rows, 20);
    }
}
