namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>Averages over the <see cref="N"/> categories that had a match, a miss or a false alarm; fractions 0…1.</summary>
/// <param name="Pq">Panoptic quality: mean over categories of ΣIoU / (TP + FP/2 + FN/2).</param>
/// <param name="Sq">Segmentation quality: mean over categories of ΣIoU / TP (0 for a category without TP).</param>
/// <param name="Rq">Recognition quality: mean over categories of TP / (TP + FP/2 + FN/2).</param>
/// <param name="N">Categories averaged.</param>
public readonly record struct PqSummary(double Pq, double Sq, double Rq, int N);
