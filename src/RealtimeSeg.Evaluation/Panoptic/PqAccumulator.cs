using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// Panoptic quality with the rules of panopticapi's <c>pq_compute</c> (Kirillov et al. 2019), image by image:
/// <list type="bullet">
/// <item>A ground-truth and a predicted segment of the same category match when IoU &gt; 0.5, where the union leaves out
/// the prediction's pixels on ground-truth void (id 0). Matches are unique because segments do not overlap.</item>
/// <item>Crowd ground-truth segments (<c>iscrowd</c>) are never matched and never missed.</item>
/// <item>An unmatched ground-truth segment is a false negative; an unmatched prediction is a false positive unless more
/// than half of its pixels lie on void or on the crowd region of its category (panopticapi keeps one crowd segment per
/// category and image: the last listed).</item>
/// <item>Prediction areas are counted from the PNG; ground-truth areas are taken from the JSON, as panopticapi does.</item>
/// <item>Ground-truth PNG ids missing from segments_info are neither void nor matchable (panopticapi skips them);
/// prediction PNG ids missing from segments_info, and listed prediction segments absent from the PNG, are errors.</item>
/// </list>
/// Per category PQ = ΣIoU / (TP + ½FP + ½FN), SQ = ΣIoU / TP, RQ = TP / (TP + ½FP + ½FN); categories with no TP, FP or
/// FN are left out of the averages. Not thread-safe; buffers are reused across images.
/// </summary>
public sealed class PqAccumulator
{
    private readonly List<CocoCategory> _categories;
    private readonly HashSet<int> _categoryIds = [];
    private readonly Dictionary<int, PqCategoryStats> _stats = [];
    private readonly Dictionary<int, int> _crowdOfCategory = [];
    private readonly SegmentTable _gt = new();
    private readonly SegmentTable _pred = new();
    private readonly SegmentPairCounter _pairs = new();
    private long[] _predArea = [];
    private long[] _predOnVoid = [];
    private long[] _predOnCrowd = [];
    private bool[] _gtMatched = [];
    private bool[] _predMatched = [];

    /// <param name="categories">The ground truth's categories: they decide what is a thing and what is averaged.</param>
    public PqAccumulator(IReadOnlyList<CocoCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        _categories = [.. categories];
        foreach (CocoCategory c in _categories)
        {
            if (!_categoryIds.Add(c.Id))
            {
                throw new ArgumentException($"category id {c.Id} appears twice", nameof(categories));
            }
        }
    }

    public int ImageCount { get; private set; }

    /// <summary>Scores one image.</summary>
    /// <param name="gt">Ground-truth id map.</param>
    /// <param name="gtSegments">What the ground truth's ids are.</param>
    /// <param name="pred">Predicted id map, the same size as <paramref name="gt"/>.</param>
    /// <param name="predSegments">What the prediction's ids are.</param>
    /// <param name="source">Names the image in error messages (e.g. the PNG's path).</param>
    /// <exception cref="InvalidDataException">Sizes differ, or the prediction is inconsistent (see the class remarks).</exception>
    public void AddImage(IdMap gt, IReadOnlyList<CocoSegmentInfo> gtSegments, IdMap pred, IReadOnlyList<CocoSegmentInfo> predSegments, string source = "image")
    {
        ArgumentNullException.ThrowIfNull(gt);
        ArgumentNullException.ThrowIfNull(pred);
        if (gt.Width != pred.Width || gt.Height != pred.Height)
        {
            throw new InvalidDataException($"{source}: the prediction is {pred.Width}x{pred.Height} but the ground truth is {gt.Width}x{gt.Height}");
        }
        _gt.Load(gtSegments, source, "ground truth");
        _pred.Load(predSegments, source, "prediction");
        for (int i = 1; i <= _pred.Count; i++)
        {
            int category = _pred[i].CategoryId;
            if (!_categoryIds.Contains(category))
            {
                throw new InvalidDataException($"{source}: predicted segment {_pred[i].Id} has category {category}, which the ground truth does not define");
            }
        }
        _pairs.Count(gt.Ids, _gt, pred.Ids, _pred, source);
        PrepareScratch();
        SumPredictionAreas(source);
        Match(source);
        CountMisses();
        CountFalseAlarms();
        ImageCount++;
    }

    /// <summary>The figures over all images so far (panopticapi's <c>pq_average</c> for all, things and stuff).</summary>
    public PqResult GetResult()
    {
        var perCategory = new List<PqCategoryResult>(_categories.Count);
        foreach (CocoCategory c in _categories)
        {
            _stats.TryGetValue(c.Id, out PqCategoryStats s);
            double denominator = s.Tp + 0.5 * s.Fp + 0.5 * s.Fn;
            double pq = denominator > 0 ? s.IouSum / denominator : 0;
            double sq = s.Tp > 0 ? s.IouSum / s.Tp : 0;
            double rq = denominator > 0 ? s.Tp / denominator : 0;
            perCategory.Add(new PqCategoryResult(c.Id, c.Name, c.IsThing, pq, sq, rq, s.Tp, s.Fp, s.Fn, s.IouSum));
        }
        return new PqResult(Average(perCategory, null), Average(perCategory, true), Average(perCategory, false), perCategory, ImageCount);
    }

    private static PqSummary Average(List<PqCategoryResult> perCategory, bool? things)
    {
        double pq = 0, sq = 0, rq = 0;
        int n = 0;
        foreach (PqCategoryResult c in perCategory)
        {
            if ((things is bool t && c.IsThing != t) || !c.Counted)
            {
                continue;
            }
            n++;
            pq += c.Pq;
            sq += c.Sq;
            rq += c.Rq;
        }
        // panopticapi divides by zero here; an empty average is reported as 0 over N = 0.
        return n == 0 ? new PqSummary(0, 0, 0, 0) : new PqSummary(pq / n, sq / n, rq / n, n);
    }

    private void PrepareScratch()
    {
        int predSlots = _pred.Count + 1, gtSlots = _gt.Unlisted + 1;
        if (_predArea.Length < predSlots)
        {
            _predArea = new long[predSlots];
            _predOnVoid = new long[predSlots];
            _predOnCrowd = new long[predSlots];
            _predMatched = new bool[predSlots];
        }
        if (_gtMatched.Length < gtSlots)
        {
            _gtMatched = new bool[gtSlots];
        }
        Array.Clear(_predArea, 0, predSlots);
        Array.Clear(_predOnVoid, 0, predSlots);
        Array.Clear(_predOnCrowd, 0, predSlots);
        Array.Clear(_predMatched, 0, predSlots);
        Array.Clear(_gtMatched, 0, gtSlots);
    }

    private void SumPredictionAreas(string source)
    {
        ReadOnlySpan<int> gts = _pairs.PairGt, preds = _pairs.PairPred;
        ReadOnlySpan<long> pixels = _pairs.PairPixels;
        for (int k = 0; k < gts.Length; k++)
        {
            _predArea[preds[k]] += pixels[k];
            if (gts[k] == 0)
            {
                _predOnVoid[preds[k]] += pixels[k];
            }
        }
        for (int pi = 1; pi <= _pred.Count; pi++)
        {
            if (_predArea[pi] == 0)
            {
                throw new InvalidDataException($"{source}: predicted segment {_pred[pi].Id} is in segments_info but not in the PNG");
            }
        }
    }

    private void Match(string source)
    {
        ReadOnlySpan<int> gts = _pairs.PairGt, preds = _pairs.PairPred;
        ReadOnlySpan<long> pixels = _pairs.PairPixels;
        for (int k = 0; k < gts.Length; k++)
        {
            int gi = gts[k], pi = preds[k];
            if (gi == 0 || gi == _gt.Unlisted || pi == 0)
            {
                continue;
            }
            CocoSegmentInfo g = _gt[gi], p = _pred[pi];
            if (g.IsCrowd || g.CategoryId != p.CategoryId)
            {
                continue;
            }
            long intersection = pixels[k];
            long union = _predArea[pi] + g.Area - intersection - _predOnVoid[pi];
            if (union <= 0)
            {
                throw new InvalidDataException(
                    $"{source}: ground-truth segment {g.Id} has area {g.Area} in segments_info but at least {intersection} pixels in the PNG");
            }
            double iou = (double)intersection / union;
            if (iou > 0.5)
            {
                ref PqCategoryStats s = ref CollectionsMarshal.GetValueRefOrAddDefault(_stats, g.CategoryId, out _);
                s.Tp++;
                s.IouSum += iou;
                _gtMatched[gi] = true;
                _predMatched[pi] = true;
            }
        }
    }

    private void CountMisses()
    {
        _crowdOfCategory.Clear();
        for (int gi = 1; gi <= _gt.Count; gi++)
        {
            if (_gtMatched[gi])
            {
                continue;
            }
            CocoSegmentInfo g = _gt[gi];
            if (g.IsCrowd)
            {
                _crowdOfCategory[g.CategoryId] = gi;
                continue;
            }
            CollectionsMarshal.GetValueRefOrAddDefault(_stats, g.CategoryId, out _).Fn++;
        }
    }

    private void CountFalseAlarms()
    {
        if (_crowdOfCategory.Count > 0)
        {
            ReadOnlySpan<int> gts = _pairs.PairGt, preds = _pairs.PairPred;
            ReadOnlySpan<long> pixels = _pairs.PairPixels;
            for (int k = 0; k < gts.Length; k++)
            {
                int gi = gts[k], pi = preds[k];
                if (pi != 0 && _crowdOfCategory.TryGetValue(_pred[pi].CategoryId, out int crowd) && crowd == gi)
                {
                    _predOnCrowd[pi] += pixels[k];
                }
            }
        }
        for (int pi = 1; pi <= _pred.Count; pi++)
        {
            if (_predMatched[pi])
            {
                continue;
            }
            double ignored = (double)(_predOnVoid[pi] + _predOnCrowd[pi]) / _predArea[pi];
            if (ignored > 0.5)
            {
                continue;
            }
            CollectionsMarshal.GetValueRefOrAddDefault(_stats, _pred[pi].CategoryId, out _).Fp++;
        }
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        foreach (PqCategoryStats s in _stats.Values)
        {
            Debug.Assert(s.Tp >= 0 && s.Fp >= 0 && s.Fn >= 0);
            Debug.Assert(s.IouSum > 0.5 * s.Tp - 1e-9 && s.IouSum <= s.Tp + 1e-9, "each match has 0.5 < IoU ≤ 1");
        }
    }
}
