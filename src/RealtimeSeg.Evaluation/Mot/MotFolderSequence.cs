using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>One sequence found by <see cref="MotFolder.Discover"/>: its files, not yet read.</summary>
/// <param name="Name">The sequence folder's name.</param>
/// <param name="GroundTruthPath"><c>GT_ROOT/NAME/gt/gt.txt</c>.</param>
/// <param name="PredictionPath"><c>PRED_ROOT/NAME.txt</c> or <c>PRED_ROOT/data/NAME.txt</c>.</param>
/// <param name="SeqInfoPath"><c>GT_ROOT/NAME/seqinfo.ini</c>, or null when the sequence has none.</param>
public sealed record MotFolderSequence(string Name, string GroundTruthPath, string PredictionPath, string? SeqInfoPath)
{
    /// <summary>Reads both files (the frame count from <c>seqinfo.ini</c> when present) and evaluates them.</summary>
    /// <exception cref="MotFormatException">A bad row or <c>seqinfo.ini</c>.</exception>
    public MotMetrics Evaluate(MotEvaluationOptions? options = null)
    {
        (MotSequence gt, MotSequence pred) = Read();
        return MotEvaluator.Evaluate(gt, pred, options);
    }

    /// <summary>Both files, over the frames of <c>seqinfo.ini</c> when present.</summary>
    /// <exception cref="MotFormatException">A bad row or <c>seqinfo.ini</c>.</exception>
    public (MotSequence GroundTruth, MotSequence Prediction) Read()
    {
        int? frameCount = SeqInfoPath is null ? null : MotSeqInfo.ReadFile(SeqInfoPath).SeqLength;
        return (MotTextReader.ReadFile(GroundTruthPath, Name, frameCount), MotTextReader.ReadFile(PredictionPath, Name, frameCount));
    }
}
