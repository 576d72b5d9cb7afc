using System.Runtime.InteropServices;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// TrackEval's <c>MotChallenge2DBox</c> loading and <c>get_preprocessed_seq_data</c>: group rows by frame (file
/// order kept), compute IoU between all ground truth and all predictions, drop predictions matched to distractors
/// (MOT16/17/20), keep only evaluated ground truth, and relabel ids to 0…n−1.
/// </summary>
internal static class MotPreprocessor
{
    private const int Pedestrian = 1;
    private const int MaxValidClass = 13;
    private const double MatchThreshold = 0.5;

    /// <param name="pedestrianOnly">TrackEval's check that predictions carry no class but pedestrian (1, or −1 for none).</param>
    public static MotEvalData Prepare(MotSequence gt, MotSequence pred, MotBenchmarkRules rules, LinearSumAssignment lsa, bool pedestrianOnly)
    {
        int timesteps = Timesteps(gt, pred);
        CheckUniqueIdsPerFrame(gt);
        CheckUniqueIdsPerFrame(pred);
        rules = Resolve(rules, gt);

        int[] gtStart = GroupByFrame(gt.Span, timesteps, out int[] gtOrder);
        int[] prStart = GroupByFrame(pred.Span, timesteps, out int[] prOrder);

        var gtIds = new int[timesteps][];
        var trIds = new int[timesteps][];
        var similarity = new double[timesteps][];
        var gtRows = new List<MotRecord>();
        var prRows = new List<MotRecord>();
        var keepGt = new List<int>();
        var keepTr = new List<int>();
        var removeTr = new HashSet<int>();
        double[] full = [];
        int[] matchRows = [], matchCols = [];
        double[] scores = [];

        for (int t = 0; t < timesteps; t++)
        {
            gtRows.Clear();
            prRows.Clear();
            for (int k = gtStart[t]; k < gtStart[t + 1]; k++)
            {
                gtRows.Add(gt.Span[gtOrder[k]]);
            }
            for (int k = prStart[t]; k < prStart[t + 1]; k++)
            {
                MotRecord r = pred.Span[prOrder[k]];
                if (pedestrianOnly && r.ClassId > Pedestrian)
                {
                    throw pred.ErrorAt(prOrder[k],
                        $"prediction of class {r.ClassId}: MOTChallenge evaluation is for pedestrians (class 1 or -1); evaluate one class (MotEvaluationOptions.ClassId) or all classes together (IgnoreClasses)");
                }
                prRows.Add(r);
            }
            int g = gtRows.Count, n = prRows.Count;
            if (full.Length < g * n)
            {
                full = new double[Math.Max(g * n, full.Length * 2)];
            }
            Span<double> sim = full.AsSpan(0, g * n);
            BoxSimilarity.Iou(CollectionsMarshal.AsSpan(gtRows),
                CollectionsMarshal.AsSpan(prRows), sim);

            removeTr.Clear();
            if (rules != MotBenchmarkRules.Mot15 && g > 0 && n > 0)
            {
                for (int i = 0; i < g; i++)
                {
                    if (gtRows[i].ClassId < 1 || gtRows[i].ClassId > MaxValidClass)
                    {
                        throw gt.ErrorAt(gtOrder[gtStart[t] + i],
                            $"class {gtRows[i].ClassId} is not a MOTChallenge class (1-13), which {rules} rules need; evaluate with Mot15 rules instead");
                    }
                }
                // Match as TrackEval does: pairs under 0.5 IoU scored 0, maximise total IoU, keep pairs scoring > 0.
                if (scores.Length < g * n)
                {
                    scores = new double[Math.Max(g * n, scores.Length * 2)];
                }
                if (matchRows.Length < Math.Min(g, n))
                {
                    matchRows = new int[Math.Min(g, n) * 2];
                    matchCols = new int[Math.Min(g, n) * 2];
                }
                for (int q = 0; q < g * n; q++)
                {
                    scores[q] = sim[q] < MatchThreshold - NumpyArithmetic.Eps ? -0.0 : -sim[q];
                }
                int pairs = lsa.Solve(scores.AsSpan(0, g * n), g, n, matchRows, matchCols);
                for (int p = 0; p < pairs; p++)
                {
                    int i = matchRows[p], j = matchCols[p];
                    if (sim[i * n + j] >= MatchThreshold - NumpyArithmetic.Eps && sim[i * n + j] > NumpyArithmetic.Eps
                        && IsDistractor(gtRows[i].ClassId, rules))
                    {
                        removeTr.Add(j);
                    }
                }
            }

            keepGt.Clear();
            keepTr.Clear();
            for (int i = 0; i < g; i++)
            {
                MotRecord r = gtRows[i];
                if (Math.Truncate(r.Confidence) != 0 && (rules == MotBenchmarkRules.Mot15 || r.ClassId == Pedestrian))
                {
                    keepGt.Add(i);
                }
            }
            for (int j = 0; j < n; j++)
            {
                if (!removeTr.Contains(j))
                {
                    keepTr.Add(j);
                }
            }

            var ids = new int[keepGt.Count];
            for (int a = 0; a < ids.Length; a++)
            {
                ids[a] = gtRows[keepGt[a]].Id;
            }
            gtIds[t] = ids;
            ids = new int[keepTr.Count];
            for (int b = 0; b < ids.Length; b++)
            {
                ids[b] = prRows[keepTr[b]].Id;
            }
            trIds[t] = ids;
            var kept = new double[keepGt.Count * keepTr.Count];
            for (int a = 0; a < keepGt.Count; a++)
            {
                for (int b = 0; b < keepTr.Count; b++)
                {
                    kept[a * keepTr.Count + b] = sim[keepGt[a] * n + keepTr[b]];
                }
            }
            similarity[t] = kept;
        }

        int numGtIds = Relabel(gtIds);
        int numTrIds = Relabel(trIds);
        return new MotEvalData(timesteps, gtIds, trIds, similarity, numGtIds, numTrIds);
    }

    /// <summary>The rules actually applied for <see cref="MotBenchmarkRules.Auto"/>.</summary>
    public static MotBenchmarkRules Resolve(MotBenchmarkRules rules, MotSequence gt)
    {
        if (rules != MotBenchmarkRules.Auto)
        {
            return rules;
        }
        if (gt.Span.IsEmpty)
        {
            return MotBenchmarkRules.Mot15;
        }
        foreach (MotRecord r in gt.Span)
        {
            if (r.ClassId < 1 || r.ClassId > MaxValidClass)
            {
                return MotBenchmarkRules.Mot15;
            }
        }
        return MotBenchmarkRules.Mot17;
    }

    private static bool IsDistractor(int classId, MotBenchmarkRules rules)
        => classId is 2 or 7 or 8 or 12 || (rules == MotBenchmarkRules.Mot20 && classId == 6);

    /// <summary>
    /// The number of timesteps: a declared length wins (TrackEval takes it from <c>seqinfo.ini</c> and rejects rows
    /// beyond it); otherwise the last frame either file mentions.
    /// </summary>
    private static int Timesteps(MotSequence gt, MotSequence pred)
    {
        if (gt.HasDeclaredFrameCount)
        {
            CheckWithin(pred, gt.FrameCount);
            return gt.FrameCount;
        }
        if (pred.HasDeclaredFrameCount)
        {
            CheckWithin(gt, pred.FrameCount);
            return pred.FrameCount;
        }
        return Math.Max(gt.FrameCount, pred.FrameCount);
    }

    private static void CheckWithin(MotSequence sequence, int length)
    {
        ReadOnlySpan<MotRecord> rows = sequence.Span;
        for (int k = 0; k < rows.Length; k++)
        {
            if (rows[k].Frame > length)
            {
                throw sequence.ErrorAt(k, $"frame {rows[k].Frame} is beyond the sequence length {length}");
            }
        }
    }

    /// <summary>TrackEval refuses an id twice in one timestep, for ground truth and trackers alike.</summary>
    private static void CheckUniqueIdsPerFrame(MotSequence sequence)
    {
        ReadOnlySpan<MotRecord> rows = sequence.Span;
        var seen = new Dictionary<(int Frame, int Id), int>(rows.Length);
        for (int k = 0; k < rows.Length; k++)
        {
            var key = (rows[k].Frame, rows[k].Id);
            if (!seen.TryAdd(key, k))
            {
                int first = seen[key];
                string where = sequence.SourcePath is null ? $"record {first}" : $"line {sequence.LineOf(first)}";
                throw sequence.ErrorAt(k, $"id {key.Id} appears twice in frame {key.Frame} (first at {where}); ids must be unique per frame");
            }
        }
    }

    /// <summary>Counting sort of record indices by frame, stable: file order within a frame.</summary>
    private static int[] GroupByFrame(ReadOnlySpan<MotRecord> rows, int timesteps, out int[] order)
    {
        var start = new int[timesteps + 1];
        foreach (MotRecord r in rows)
        {
            start[r.Frame]++;
        }
        for (int t = 1; t <= timesteps; t++)
        {
            start[t] += start[t - 1];
        }
        // start[t] is now the number of rows before frame t+1, i.e. where timestep t (frame t+1) begins.
        var cursor = (int[])start.Clone();
        order = new int[rows.Length];
        for (int k = 0; k < rows.Length; k++)
        {
            order[cursor[rows[k].Frame - 1]++] = k;
        }
        return start;
    }

    /// <summary>Maps ids to 0…n−1 in ascending order of the original id, as TrackEval's <c>np.unique</c> map.</summary>
    private static int Relabel(int[][] idsPerTimestep)
    {
        var unique = new SortedSet<int>();
        foreach (int[] ids in idsPerTimestep)
        {
            foreach (int id in ids)
            {
                unique.Add(id);
            }
        }
        var map = new Dictionary<int, int>(unique.Count);
        foreach (int id in unique)
        {
            map.Add(id, map.Count);
        }
        foreach (int[] ids in idsPerTimestep)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = map[ids[i]];
            }
        }
        return unique.Count;
    }
}
