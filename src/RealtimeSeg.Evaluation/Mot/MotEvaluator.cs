using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// Multi-object tracking evaluation that reproduces TrackEval (<c>MotChallenge2DBox</c> dataset with the HOTA,
/// CLEAR and Identity metrics) figure for figure.
/// </summary>
/// <example>
/// <code>
/// MotMetrics m = MotEvaluator.EvaluateFiles("MOT17-02/gt/gt.txt", "tracks/MOT17-02.txt");  // m.Hota, m.Mota, m.Idf1 …
/// string table = MotReport.FormatTable([m]);                                                 // or m.ToJson()
///
/// MotFolderResult all = MotFolder.Discover("gt-root", "tracks").Evaluate();                  // per sequence + COMBINED
/// </code>
/// </example>
public static class MotEvaluator
{
    /// <summary>Scores one sequence's predictions against its ground truth.</summary>
    /// <param name="groundTruth">Ground truth; its name names the result. A declared frame count bounds both files.</param>
    /// <param name="prediction">Tracker output for the same sequence.</param>
    /// <param name="options">Preprocessing rules and class; <see cref="MotEvaluationOptions.Default"/> when null.</param>
    /// <exception cref="MotFormatException">
    /// A prediction of a class other than 1/−1, a MOT17-rules ground truth with an invalid class, or a row beyond
    /// the declared sequence length (the file and line are named).
    /// </exception>
    public static MotMetrics Evaluate(MotSequence groundTruth, MotSequence prediction, MotEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(prediction);
        options ??= MotEvaluationOptions.Default;
        if (options.ClassId.HasValue && options.IgnoreClasses)
        {
            throw new ArgumentException("ClassId and IgnoreClasses exclude each other", nameof(options));
        }
        var lsa = new LinearSumAssignment();
        MotEvalData data = options.ClassId is int classId
            ? MotPreprocessor.Prepare(groundTruth.WhereClass(classId), prediction.WhereClass(classId), MotBenchmarkRules.Mot15, lsa, pedestrianOnly: false)
            : options.IgnoreClasses
                ? MotPreprocessor.Prepare(groundTruth, prediction, MotBenchmarkRules.Mot15, lsa, pedestrianOnly: false)
                : MotPreprocessor.Prepare(groundTruth, prediction, options.Rules, lsa, pedestrianOnly: true);
        return new MotMetrics(
            groundTruth.Name,
            sequenceCount: 1,
            HotaMetric.Evaluate(data, lsa),
            ClearMetric.Evaluate(data, lsa),
            IdentityMetric.Evaluate(data, lsa),
            data.Timesteps,
            data.NumGtDets,
            data.NumTrackerDets,
            data.NumGtIds,
            data.NumTrackerIds);
    }

    /// <summary>
    /// Reads and scores one pair of files, as <c>realtimeseg eval mot --gt FILE --pred FILE</c> does. When the ground
    /// truth sits in MOTChallenge layout (<c>SEQ/gt/gt.txt</c> with <c>SEQ/seqinfo.ini</c>) or has a
    /// <c>seqinfo.ini</c> beside it, its <c>seqLength</c> sets the number of frames (see <see cref="MotSeqInfo.FindFor"/>).
    /// The result is named after the sequence folder (<c>SEQ</c>) or the ground-truth file.
    /// </summary>
    /// <exception cref="MotFormatException">A bad row or <c>seqinfo.ini</c>, with file and line.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static MotMetrics EvaluateFiles(string groundTruthPath, string predictionPath, MotEvaluationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(groundTruthPath);
        ArgumentException.ThrowIfNullOrEmpty(predictionPath);
        string? seqInfo = MotSeqInfo.FindFor(groundTruthPath);
        int? frameCount = seqInfo is null ? null : MotSeqInfo.ReadFile(seqInfo).SeqLength;
        MotSequence gt = MotTextReader.ReadFile(groundTruthPath, frameCount: frameCount);
        MotSequence pred = MotTextReader.ReadFile(predictionPath, gt.Name, frameCount);
        return Evaluate(gt, pred, options);
    }

    /// <summary>
    /// Combines per-sequence results as TrackEval's <c>combine_sequences</c> does: CLEAR and Identity counts are
    /// summed and their scores re-derived; HOTA sums its TP/FN/FP per α and averages AssA, AssRe, AssPr and LocA
    /// weighted by TP.
    /// </summary>
    /// <param name="sequences">Results of <see cref="Evaluate"/>, in report order (at least one).</param>
    /// <param name="name">Name of the combined row.</param>
    public static MotMetrics Combine(IEnumerable<MotMetrics> sequences, string name = "COMBINED")
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(name);
        var all = new List<MotMetrics>(sequences);
        if (all.Count == 0)
        {
            throw new ArgumentException("nothing to combine: no sequences", nameof(sequences));
        }
        var hota = new List<HotaResult>(all.Count);
        var clear = new List<ClearResult>(all.Count);
        var identity = new List<IdentityResult>(all.Count);
        int frames = 0, count = 0;
        long gtDets = 0, predDets = 0, gtIds = 0, predIds = 0;
        foreach (MotMetrics m in all)
        {
            hota.Add(m.HotaResult);
            clear.Add(m.ClearResult);
            identity.Add(m.IdentityResult);
            frames += m.Frames;
            count += m.SequenceCount;
            gtDets += m.GtDetections;
            predDets += m.PredDetections;
            gtIds += m.GtIds;
            predIds += m.PredIds;
        }
        return new MotMetrics(name, count, HotaMetric.Combine(hota), ClearMetric.Combine(clear), IdentityMetric.Combine(identity),
            frames, gtDets, predDets, gtIds, predIds);
    }
}
