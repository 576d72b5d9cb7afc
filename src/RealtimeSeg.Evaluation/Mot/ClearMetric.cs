namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// CLEAR MOT (Bernardin &amp; Stiefelhagen 2008) as TrackEval's <c>clear.py</c> computes it: per frame a
/// Hungarian matching at IoU ≥ 0.5 in which continuing the previous frame's pairing is worth 1000 (so identity
/// is kept whenever possible, then IoU maximised); an ID switch is a match whose tracker id differs from the one
/// last matched to that gt id, however long ago.
/// </summary>
internal static class ClearMetric
{
    private const double Threshold = 0.5;
    private const double ContinuationBonus = 1000;
    private const int None = -1;

    public static ClearResult Evaluate(MotEvalData d, LinearSumAssignment lsa)
    {
        var res = new ClearResult();
        // TrackEval returns before computing the final fields (so MOTA of an empty sequence is 0, not −FP).
        if (d.NumTrackerDets == 0)
        {
            res.Fn = d.NumGtDets;
            res.MostlyLost = d.NumGtIds;
            res.MostlyLostRatio = 1.0;
            return res;
        }
        if (d.NumGtDets == 0)
        {
            res.Fp = d.NumTrackerDets;
            res.MostlyLostRatio = 1.0;
            return res;
        }

        int gIds = d.NumGtIds;
        var gtIdCount = new int[gIds];
        var gtMatchedCount = new int[gIds];
        var gtFragCount = new int[gIds];
        // Switches compare with the last match ever; the bonus only continues a match of the previous frame.
        var prevTrackerId = new int[gIds];
        var prevTimestepTrackerId = new int[gIds];
        var notPreviouslyTracked = new bool[gIds];
        Array.Fill(prevTrackerId, None);
        Array.Fill(prevTimestepTrackerId, None);
        double[] cost = [];
        int[] rows = [], cols = [];

        for (int t = 0; t < d.Timesteps; t++)
        {
            int[] gt = d.GtIds[t], tr = d.TrackerIds[t];
            double[] sim = d.Similarity[t];
            int g = gt.Length, k = tr.Length;
            if (g == 0)
            {
                // Not a break in tracking: the previous frame's pairs stay eligible for the bonus.
                res.Fp += k;
                continue;
            }
            if (k == 0)
            {
                res.Fn += g;
                foreach (int id in gt)
                {
                    gtIdCount[id]++;
                }
                continue;
            }

            if (cost.Length < g * k)
            {
                cost = new double[Math.Max(g * k, cost.Length * 2)];
            }
            for (int i = 0; i < g; i++)
            {
                int previous = prevTimestepTrackerId[gt[i]];
                for (int j = 0; j < k; j++)
                {
                    double s = sim[i * k + j];
                    double score = (tr[j] == previous ? ContinuationBonus : 0) + s;
                    if (s < Threshold - NumpyArithmetic.Eps)
                    {
                        score = 0;
                    }
                    cost[i * k + j] = -score;
                }
            }
            int most = Math.Min(g, k);
            if (rows.Length < most)
            {
                rows = new int[most * 2];
                cols = new int[most * 2];
            }
            int pairs = lsa.Solve(cost.AsSpan(0, g * k), g, k, rows, cols);

            foreach (int id in gt)
            {
                gtIdCount[id]++;
            }
            for (int x = 0; x < gIds; x++)
            {
                notPreviouslyTracked[x] = prevTimestepTrackerId[x] == None;
            }
            // All switches of this frame are judged against the state before it, then the state moves on.
            int matched = 0;
            double motp = 0;
            for (int p = 0; p < pairs; p++)
            {
                if (-cost[rows[p] * k + cols[p]] > NumpyArithmetic.Eps)
                {
                    int gid = gt[rows[p]], tid = tr[cols[p]];
                    if (prevTrackerId[gid] != None && prevTrackerId[gid] != tid)
                    {
                        res.IdSwitches++;
                    }
                }
            }
            Array.Fill(prevTimestepTrackerId, None);
            for (int p = 0; p < pairs; p++)
            {
                if (-cost[rows[p] * k + cols[p]] > NumpyArithmetic.Eps)
                {
                    int gid = gt[rows[p]], tid = tr[cols[p]];
                    gtMatchedCount[gid]++;
                    prevTrackerId[gid] = tid;
                    prevTimestepTrackerId[gid] = tid;
                    matched++;
                    motp += sim[rows[p] * k + cols[p]];
                }
            }
            for (int x = 0; x < gIds; x++)
            {
                if (notPreviouslyTracked[x] && prevTimestepTrackerId[x] != None)
                {
                    gtFragCount[x]++;
                }
            }
            res.Tp += matched;
            res.Fn += g - matched;
            res.Fp += k - matched;
            if (matched > 0)
            {
                res.MotpSum += motp;
            }
        }

        long mt = 0, trackedAtLeastFifth = 0, frag = 0;
        for (int x = 0; x < gIds; x++)
        {
            if (gtIdCount[x] > 0)
            {
                double ratio = (double)gtMatchedCount[x] / gtIdCount[x];
                mt += ratio > 0.8 ? 1 : 0;
                trackedAtLeastFifth += ratio >= 0.2 ? 1 : 0;
            }
            if (gtFragCount[x] > 0)
            {
                frag += gtFragCount[x] - 1;
            }
        }
        res.MostlyTracked = mt;
        res.PartiallyTracked = trackedAtLeastFifth - mt;
        res.MostlyLost = gIds - mt - res.PartiallyTracked;
        res.Fragmentations = frag;
        res.Frames = d.Timesteps;
        res.ComputeFinalFields();
        return res;
    }

    /// <summary>TrackEval's <c>combine_sequences</c>: every count and the IoU sum added, then re-derived.</summary>
    public static ClearResult Combine(IReadOnlyList<ClearResult> all)
    {
        var res = new ClearResult();
        foreach (ClearResult r in all)
        {
            res.Tp += r.Tp;
            res.Fn += r.Fn;
            res.Fp += r.Fp;
            res.IdSwitches += r.IdSwitches;
            res.MostlyTracked += r.MostlyTracked;
            res.PartiallyTracked += r.PartiallyTracked;
            res.MostlyLost += r.MostlyLost;
            res.Fragmentations += r.Fragmentations;
            res.Frames += r.Frames;
            res.MotpSum += r.MotpSum;
        }
        res.ComputeFinalFields();
        return res;
    }
}
