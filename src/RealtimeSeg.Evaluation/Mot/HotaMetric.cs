namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// HOTA (Luiten et al., IJCV 2021) as TrackEval's <c>hota.py</c> computes it: per α, detections are matched per
/// frame by Hungarian matching on IoU weighted by the global alignment of the two ids (so matches that keep
/// identities consistent are preferred), TP/FN/FP counted at IoU ≥ α, AssA from the per-id-pair match counts.
/// </summary>
internal static class HotaMetric
{
    public static HotaResult Evaluate(MotEvalData d, LinearSumAssignment lsa)
    {
        var res = new HotaResult();
        if (d.NumTrackerDets == 0)
        {
            // TrackEval returns before computing the final fields: everything but FN and LocA stays 0.
            Array.Fill(res.Fn, d.NumGtDets);
            Array.Fill(res.LocA, 1.0);
            res.LocA0 = 1.0;
            return res;
        }
        if (d.NumGtDets == 0)
        {
            Array.Fill(res.Fp, d.NumTrackerDets);
            Array.Fill(res.LocA, 1.0);
            res.LocA0 = 1.0;
            return res;
        }

        int gIds = d.NumGtIds, tIds = d.NumTrackerIds;
        var potential = new double[gIds * tIds];
        var gtIdCount = new double[gIds];
        var trIdCount = new double[tIds];
        double[] rowSum = [], colSum = [], cost = [];

        // Pass 1: how well each gt id and tracker id align over the whole sequence (soft, IoU-weighted).
        for (int t = 0; t < d.Timesteps; t++)
        {
            int[] gt = d.GtIds[t], tr = d.TrackerIds[t];
            double[] sim = d.Similarity[t];
            int g = gt.Length, k = tr.Length;
            Grow(ref rowSum, g);
            Grow(ref colSum, k);
            Array.Clear(colSum, 0, k);
            for (int i = 0; i < g; i++)
            {
                rowSum[i] = NumpyArithmetic.PairwiseSum(sim.AsSpan(i * k, k));
                for (int j = 0; j < k; j++)
                {
                    colSum[j] += sim[i * k + j];
                }
            }
            for (int i = 0; i < g; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    double s = sim[i * k + j];
                    double denom = colSum[j] + rowSum[i] - s;
                    if (denom > NumpyArithmetic.Eps)
                    {
                        potential[gt[i] * tIds + tr[j]] += s / denom;
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
        var globalAlignment = new double[gIds * tIds];
        for (int i = 0; i < gIds; i++)
        {
            for (int j = 0; j < tIds; j++)
            {
                double p = potential[i * tIds + j];
                globalAlignment[i * tIds + j] = p / (gtIdCount[i] + trIdCount[j] - p);
            }
        }

        // Pass 2: per frame one matching maximising alignment × IoU, then thresholded at every α.
        var matchesCounts = new double[HotaResult.AlphaCount][];
        for (int a = 0; a < HotaResult.AlphaCount; a++)
        {
            matchesCounts[a] = new double[gIds * tIds];
        }
        ReadOnlySpan<double> alphas = HotaResult.Alphas;
        int[] rows = [], cols = [];
        for (int t = 0; t < d.Timesteps; t++)
        {
            int[] gt = d.GtIds[t], tr = d.TrackerIds[t];
            double[] sim = d.Similarity[t];
            int g = gt.Length, k = tr.Length;
            if (g == 0)
            {
                AddAll(res.Fp, k);
                continue;
            }
            if (k == 0)
            {
                AddAll(res.Fn, g);
                continue;
            }
            Grow(ref cost, g * k);
            for (int i = 0; i < g; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    cost[i * k + j] = -(globalAlignment[gt[i] * tIds + tr[j]] * sim[i * k + j]);
                }
            }
            Grow(ref rows, Math.Min(g, k));
            Grow(ref cols, Math.Min(g, k));
            int pairs = lsa.Solve(cost.AsSpan(0, g * k), g, k, rows, cols);
            for (int a = 0; a < HotaResult.AlphaCount; a++)
            {
                double threshold = alphas[a] - NumpyArithmetic.Eps;
                int matched = 0;
                double locSum = 0;
                double[] counts = matchesCounts[a];
                for (int p = 0; p < pairs; p++)
                {
                    double s = sim[rows[p] * k + cols[p]];
                    if (s >= threshold)
                    {
                        matched++;
                        locSum += s;
                        counts[gt[rows[p]] * tIds + tr[cols[p]]] += 1;
                    }
                }
                res.Tp[a] += matched;
                res.Fn[a] += g - matched;
                res.Fp[a] += k - matched;
                if (matched > 0)
                {
                    res.LocA[a] += locSum;
                }
            }
        }

        // Pass 3: association scores per α, each id pair weighted by its number of matches.
        var product = new double[gIds * tIds];
        for (int a = 0; a < HotaResult.AlphaCount; a++)
        {
            double[] mc = matchesCounts[a];
            double tp = Math.Max(1.0, res.Tp[a]);
            for (int i = 0; i < gIds; i++)
            {
                for (int j = 0; j < tIds; j++)
                {
                    double m = mc[i * tIds + j];
                    product[i * tIds + j] = m * (m / Math.Max(1.0, gtIdCount[i] + trIdCount[j] - m));
                }
            }
            res.AssA[a] = NumpyArithmetic.PairwiseSum(product) / tp;
            for (int i = 0; i < gIds; i++)
            {
                for (int j = 0; j < tIds; j++)
                {
                    double m = mc[i * tIds + j];
                    product[i * tIds + j] = m * (m / Math.Max(1.0, gtIdCount[i]));
                }
            }
            res.AssRe[a] = NumpyArithmetic.PairwiseSum(product) / tp;
            for (int i = 0; i < gIds; i++)
            {
                for (int j = 0; j < tIds; j++)
                {
                    double m = mc[i * tIds + j];
                    product[i * tIds + j] = m * (m / Math.Max(1.0, trIdCount[j]));
                }
            }
            res.AssPr[a] = NumpyArithmetic.PairwiseSum(product) / tp;
            res.LocA[a] = Math.Max(1e-10, res.LocA[a]) / Math.Max(1e-10, res.Tp[a]);
        }
        res.ComputeFinalFields();
        return res;
    }

    /// <summary>TrackEval's <c>combine_sequences</c>: counts summed, AssA/AssRe/AssPr and LocA weighted by TP.</summary>
    public static HotaResult Combine(IReadOnlyList<HotaResult> all)
    {
        var res = new HotaResult();
        for (int a = 0; a < HotaResult.AlphaCount; a++)
        {
            double tp = 0, fn = 0, fp = 0;
            foreach (HotaResult r in all)
            {
                tp += r.Tp[a];
                fn += r.Fn[a];
                fp += r.Fp[a];
            }
            res.Tp[a] = tp;
            res.Fn[a] = fn;
            res.Fp[a] = fp;
            double assA = 0, assRe = 0, assPr = 0, loc = 0;
            foreach (HotaResult r in all)
            {
                assA += r.AssA[a] * r.Tp[a];
                assRe += r.AssRe[a] * r.Tp[a];
                assPr += r.AssPr[a] * r.Tp[a];
                loc += r.LocA[a] * r.Tp[a];
            }
            res.AssA[a] = assA / Math.Max(1.0, tp);
            res.AssRe[a] = assRe / Math.Max(1.0, tp);
            res.AssPr[a] = assPr / Math.Max(1.0, tp);
            res.LocA[a] = Math.Max(1e-10, loc) / Math.Max(1e-10, tp);
        }
        res.ComputeFinalFields();
        return res;
    }

    private static void AddAll(double[] field, int count)
    {
        for (int a = 0; a < field.Length; a++)
        {
            field[a] += count;
        }
    }

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
