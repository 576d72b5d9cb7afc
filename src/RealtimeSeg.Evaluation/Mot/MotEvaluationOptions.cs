using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>How <see cref="MotEvaluator.Evaluate"/> reads the ground truth. Thresholds are TrackEval's and fixed.</summary>
public sealed record MotEvaluationOptions
{
    public static MotEvaluationOptions Default { get; } = new();

    /// <summary>Preprocessing rules; <see cref="MotBenchmarkRules.Auto"/> by default.</summary>
    public MotBenchmarkRules Rules { get; init; } = MotBenchmarkRules.Auto;

    /// <summary>
    /// Evaluate one class of multi-class data (e.g. the synthetic drive's cars): rows of both files whose column 8
    /// is not this class are dropped, the rest evaluated under <see cref="MotBenchmarkRules.Mot15"/> rules (flagged
    /// ground truth counts) without TrackEval's pedestrian-only check on predictions. A project extension; null
    /// (the default) evaluates as TrackEval does. Predictions must then carry their class in column 8 — tracker
    /// files written in <see cref="MotRowLayout.Tracker"/> layout have −1 there and would all be dropped.
    /// </summary>
    public int? ClassId { get; init; }

    /// <summary>
    /// Class-agnostic evaluation of multi-class data: every flagged row of both files counts, whatever its class
    /// (<see cref="MotBenchmarkRules.Mot15"/> rules without the pedestrian-only check on predictions). A project
    /// extension; cannot be combined with <see cref="ClassId"/>.
    /// </summary>
    public bool IgnoreClasses { get; init; }
}
