namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// IDF1/IDP/IDR as TrackEval's <c>identity.py</c>: one global one-to-one assignment of gt ids to tracker ids
/// (each id may stay unassigned) minimising IDFN + IDFP, where a pair's detections count as matched in the frames
/// where their IoU ≥ 0.5.
/// </summary>
internal static class IdentityMetric
{
    private const double Threshold = 0.5;
    private const double Forbidden = 1e10;

    public static IdentityResult Evaluate(MotEvalData d, LinearSumAssignment lsa)
    {
        var res = new IdentityResult();
        if (d.NumTrackerDets == 0)
        {
            res.IdFn = d.NumGtDets;
            return res;
        }
        if (d.NumGtDets == 0)
        {
            res.IdFp = d.NumTrackerDets;
            return res;
        }

        int gIds = d.NumGtIds, tIds = d.NumTrackerIds;
        var potential = new double[gIds * tIds];
        var gtIdCount = new double[gIds];
        var trIdCount = new double[tIds];
        for (int t = 0; t < d.Timesteps; t++)
        {
            int[] gt = d.GtIds[t], tr = d.TrackerIds[t];
            double[] sim = d.Similarity[t];
            int k = tr.Length;
            for (int i = 0; i < gt.Length; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    if (sim[i * k + j] >= Threshold)
                    {
                        potential[gt[i] * tIds + tr[j]]++;
                    }
                }
            }
            foreach (int id in gt)
            {
                gtIdCount[id]++;
            }
            foreach (int id in tr)
            {
                trIdCount[id]++;
            }
        }

        // Square (G+T)² problem: gt rows × tracker columns, plus a dummy column per gt id ("unassigned": all its
        // detections are IDFN) and a dummy row per tracker id (all IDFP); dummy × dummy costs 0.
        int n = gIds + tIds;
        var fpMat = new double[n * n];
        var fnMat = new double[n * n];
        for (int r = gIds; r < n; r++)
        {
            fpMat.AsSpan(r * n, tIds).Fill(Forbidden);
        }
        for (int r = 0; r < gIds; r++)
        {
            fnMat.AsSpan(r * n + tIds, gIds).Fill(Forbidden);
        }
        for (int gid = 0; gid < gIds; gid++)
        {
            fnMat.AsSpan(gid * n, tIds).Fill(gtIdCount[gid]);
            fnMat[gid * n + tIds + gid] = gtIdCount[gid];
        }
        for (int tid = 0; tid < tIds; tid++)
        {
            for (int r = 0; r < gIds; r++)
            {
                fpMat[r * n + tid] = trIdCount[tid];
            }
            fpMat[(tid + gIds) * n + tid] = trIdCount[tid];
        }
        for (int gid = 0; gid < gIds; gid++)
        {
            for (int tid = 0; tid < tIds; tid++)
            {
                fnMat[gid * n + tid] -= potential[gid * tIds + tid];
                fpMat[gid * n + tid] -= potential[gid * tIds + tid];
            }
        }
        var cost = new double[n * n];
        for (int q = 0; q < cost.Length; q++)
        {
            cost[q] = fnMat[q] + fpMat[q];
        }
        var rows = new int[n];
        var cols = new int[n];
        int pairs = lsa.Solve(cost, n, n, rows, cols);

        double idfn = 0, idfp = 0, gtDets = 0;
        for (int p = 0; p < pairs; p++)
        {
            idfn += fnMat[rows[p] * n + cols[p]];
            idfp += fpMat[rows[p] * n + cols[p]];
        }
        foreach (double c in gtIdCount)
        {
            gtDets += c;
        }
        res.IdFn = (long)idfn;
        res.IdFp = (long)idfp;
        res.IdTp = (long)(gtDets - res.IdFn);
        res.ComputeFinalFields();
        return res;
    }

    /// <summary>TrackEval's <c>combine_sequences</c>: counts summed, scores re-derived.</summary>
    public static IdentityResult Combine(IReadOnlyList<IdentityResult> all)
    {
        var res = new IdentityResult();
        foreach (IdentityResult r in all)
        {
            res.IdTp += r.IdTp;
            res.IdFn += r.IdFn;
            res.IdFp += r.IdFp;
        }
        res.ComputeFinalFields();
        return res;
    }
}
