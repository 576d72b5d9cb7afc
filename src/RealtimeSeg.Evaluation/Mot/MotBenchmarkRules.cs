namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// Which of TrackEval's MotChallenge2DBox preprocessing rules decide what is evaluated (its <c>BENCHMARK</c>
/// setting, with <c>DO_PREPROC</c> on).
/// </summary>
/// <remarks>
/// In every mode: ground-truth rows whose flag column (7), truncated to an integer, is 0 are not evaluated, and
/// predictions may only carry class −1 or 1 in column 8 (TrackEval evaluates pedestrians only; see
/// <see cref="MotEvaluationOptions.ClassId"/> for other classes).
/// </remarks>
public enum MotBenchmarkRules
{
    /// <summary>
    /// <see cref="Mot17"/> when every ground-truth row carries a valid MOT class (1…13) in column 8, else
    /// <see cref="Mot15"/> (10-column files, whose column 8 is the world x = −1).
    /// </summary>
    Auto,

    /// <summary>All flagged ground-truth rows count whatever their class; no prediction is removed.</summary>
    Mot15,

    /// <summary>
    /// Per frame, predictions are matched to all ground truth (Hungarian on IoU, pairs under 0.5 impossible);
    /// predictions matched to a distractor (2 person on vehicle, 7 static person, 8 distractor, 12 reflection) are
    /// removed. Then only flagged pedestrian (class 1) ground truth is kept. Same rules as MOT16.
    /// </summary>
    Mot17,

    /// <summary><see cref="Mot17"/> with class 6 (non-motorised vehicle) also a distractor.</summary>
    Mot20,
}
