using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// A benchmark in MOTChallenge layout: the sequences of a ground-truth folder paired with a tracker's files.
/// </summary>
/// <remarks>
/// Accepted layout (TrackEval's with <c>SKIP_SPLIT_FOL</c>, without a seqmap):
/// <code>
/// GT_ROOT/&lt;seq&gt;/gt/gt.txt        every sub-folder of GT_ROOT holding gt/gt.txt is a sequence
/// GT_ROOT/&lt;seq&gt;/seqinfo.ini      optional; its seqLength bounds both files' frames
/// PRED_ROOT/&lt;seq&gt;.txt            the tracker's output for the sequence, or
/// PRED_ROOT/data/&lt;seq&gt;.txt       (TrackEval's tracker sub-folder)
/// </code>
/// Sequences are taken in ordinal order of their names. Files in PRED_ROOT without a sequence are ignored;
/// a sequence without a prediction file is an error, as in TrackEval.
/// </remarks>
public sealed class MotFolder
{
    private MotFolder(string groundTruthRoot, string predictionRoot, IReadOnlyList<MotFolderSequence> sequences)
    {
        GroundTruthRoot = groundTruthRoot;
        PredictionRoot = predictionRoot;
        Sequences = sequences;
    }

    public string GroundTruthRoot { get; }
    public string PredictionRoot { get; }
    public IReadOnlyList<MotFolderSequence> Sequences { get; }

    /// <summary>Finds the sequences and their prediction files.</summary>
    /// <exception cref="ConfigurationException">A folder is missing, it holds no sequence, or a sequence has no prediction file.</exception>
    public static MotFolder Discover(string groundTruthRoot, string predictionRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(groundTruthRoot);
        ArgumentException.ThrowIfNullOrEmpty(predictionRoot);
        if (!Directory.Exists(groundTruthRoot))
        {
            throw new ConfigurationException($"ground-truth folder not found: {groundTruthRoot}");
        }
        if (!Directory.Exists(predictionRoot))
        {
            throw new ConfigurationException($"prediction folder not found: {predictionRoot}");
        }
        var names = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories(groundTruthRoot))
        {
            if (File.Exists(Path.Combine(dir, "gt", "gt.txt")))
            {
                names.Add(Path.GetFileName(dir));
            }
        }
        if (names.Count == 0)
        {
            throw new ConfigurationException($"no sequences in {groundTruthRoot}: expected {Path.Combine(groundTruthRoot, "<seq>", "gt", "gt.txt")}");
        }
        names.Sort(StringComparer.Ordinal);
        var sequences = new List<MotFolderSequence>(names.Count);
        foreach (string name in names)
        {
            string seqDir = Path.Combine(groundTruthRoot, name);
            string direct = Path.Combine(predictionRoot, name + ".txt");
            string inData = Path.Combine(predictionRoot, "data", name + ".txt");
            string pred = File.Exists(direct) ? direct
                : File.Exists(inData) ? inData
                : throw new ConfigurationException($"no prediction for sequence {name}: neither {direct} nor {inData} exists");
            string seqInfo = Path.Combine(seqDir, "seqinfo.ini");
            sequences.Add(new MotFolderSequence(name, Path.Combine(seqDir, "gt", "gt.txt"), pred, File.Exists(seqInfo) ? seqInfo : null));
        }
        return new MotFolder(groundTruthRoot, predictionRoot, sequences);
    }

    /// <summary>Evaluates every sequence and combines them.</summary>
    /// <exception cref="MotFormatException">A bad file (named, with its line).</exception>
    public MotFolderResult Evaluate(MotEvaluationOptions? options = null)
    {
        var results = new List<MotMetrics>(Sequences.Count);
        foreach (MotFolderSequence sequence in Sequences)
        {
            results.Add(sequence.Evaluate(options));
        }
        return new MotFolderResult(results, MotEvaluator.Combine(results));
    }
}
