namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>One class's IoU over the whole sequence, with its pixel counts.</summary>
/// <param name="CategoryId">The category, or -1 for the void-prediction column (<see cref="StqOptions.CountVoidPredictionsAsClass"/>).</param>
public sealed record StqClassResult(int CategoryId, string Name, bool IsThing, double Iou, long TruePositives, long FalsePositives, long FalseNegatives);
