namespace RealtimeSeg.Evaluation.Mot;

/// <summary>How <see cref="MotEvaluator.Evaluate"/> reads the ground truth. Thresholds are TrackEval's and fixed.</summary>
public sealed record MotEvaluationOptions
{
    public static MotEvaluationOptions Default { get; } = new();

    /// <summary>Preprocessing rules; <see cref="MotBenchmarkRules.Auto"/> by default.</summary>
    public MotBenchmarkRules Rules { get; init; } = MotBenchmarkRules.Auto;
}
