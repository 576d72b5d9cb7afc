using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Synthetic.Detections;

/// <summary>What <see cref="DetectorSimulator.Simulate"/> made of one sequence.</summary>
/// <param name="Name">The sequence.</param>
/// <param name="Detections">Rows <c>frame,-1,x,y,w,h,score,class,-1</c> in frame order (class −1 when the ground truth has none).</param>
/// <param name="GroundTruthBoxes">Flagged ground-truth boxes (objects to detect).</param>
/// <param name="TruePositives">Detections made from a ground-truth box (whatever their IoU with it after jitter).</param>
/// <param name="FalsePositives">Detections made from no object.</param>
/// <param name="LowScore">Detections scoring under 0.5.</param>
public sealed record DetectorSimulation(string Name, IReadOnlyList<MotRecord> Detections, int GroundTruthBoxes, int TruePositives, int FalsePositives, int LowScore);
