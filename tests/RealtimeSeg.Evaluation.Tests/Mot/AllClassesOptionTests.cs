using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

/// <summary>The pooled-classes extension used for the synthetic drive's multi-class ground truth.</summary>
public sealed class AllClassesOptionTests
{
    private static MotSequence Gt() => new("seq", [
        new MotRecord(1, 1, 0, 0, 10, 10, 1, 3, 1),     // a car (MOT17 class 3)
        new MotRecord(1, 2, 50, 0, 10, 20, 1, 1, 1),    // a pedestrian
        new MotRecord(2, 1, 2, 0, 10, 10, 1, 3, 1),
        new MotRecord(2, 2, 52, 0, 10, 20, 1, 1, 1),
    ]);

    [Fact]
    public void Evaluate_AllClassesGroundTruthAgainstItself_Is100()
    {
        MotMetrics m = MotEvaluator.Evaluate(Gt(), Gt(), new MotEvaluationOptions { IgnoreClasses = true });
        Assert.Equal(100, m.Hota, 6);
        Assert.Equal(100, m.Mota, 6);
        Assert.Equal(100, m.Idf1, 6);
    }

    [Fact]
    public void Evaluate_AllClassesWithTrackerRows_CountsEveryClass()
    {
        var pred = new MotSequence("seq", [
            MotRecord.Track(1, 7, 0, 0, 10, 10), MotRecord.Track(2, 7, 2, 0, 10, 10),   // only the car is tracked
        ]);
        MotMetrics m = MotEvaluator.Evaluate(Gt(), pred, new MotEvaluationOptions { IgnoreClasses = true });
        Assert.Equal(50, m.Mota, 6);        // 2 of 4 ground-truth boxes missed, none wrong
        Assert.Equal(2, m.FalseNegatives);
    }

    [Fact]
    public void Evaluate_DefaultRulesOnMot17StyleData_EvaluatePedestriansOnly()
    {
        MotSequence pedestrianOnly = new("seq", [MotRecord.Track(1, 1, 50, 0, 10, 20), MotRecord.Track(2, 1, 52, 0, 10, 20)]);
        MotMetrics m = MotEvaluator.Evaluate(Gt(), pedestrianOnly);
        Assert.Equal(100, m.Mota, 6);
    }
}
