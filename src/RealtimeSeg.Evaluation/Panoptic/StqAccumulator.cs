using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// Segmentation and Tracking Quality (Weber et al. 2021, "STEP: Segmenting and Tracking Every Pixel") of one video,
/// frame by frame, with the rules of deeplab2's reference <c>stq.py</c>:
/// <list type="bullet">
/// <item>Every pixel has a class (its segment's category; void = id 0 or an id not in segments_info) and, for things, an
/// instance: <c>track_id</c> when the segment has one, else the segment id. A track ("tube") is a (class, instance)
/// pair over the whole sequence.</item>
/// <item>Ground-truth crowd pixels (a thing segment with <c>iscrowd</c>, or instance 0) belong to no track, and
/// predicted pixels on them are not counted for association either.</item>
/// <item>AQ = (1/|G|) Σ_g (1/|g|) Σ_{p ∩ g ≠ ∅} TPA(p,g) · TPA(p,g) / (TPA + FPA + FNA), over ground-truth tracks g and
/// predicted tracks p of thing classes, class-agnostic: a predicted track's area includes its pixels on ground-truth
/// void and stuff. No ground-truth tracks gives AQ = 0, as in the reference.</item>
/// <item>SQ = mean IoU over the classes whose union over the whole sequence is non-empty; ground-truth void pixels are
/// ignored, and labelled pixels predicted void are misses of their class (see <see cref="StqOptions"/>).</item>
/// <item>STQ = √(AQ · SQ).</item>
/// </list>
/// Per-frame work goes through the (gt segment, pred segment) pixel counts, so the cost per pixel is one run check.
/// Not thread-safe.
/// </summary>
public sealed class StqAccumulator
{
    private const int NotComputed = -2;
    private const int NoTrack = -1;

    private readonly List<CocoCategory> _categories;
    private readonly Dictionary<int, int> _classOfCategory = [];
    private readonly bool[] _isThing;
    private readonly int _classCount;
    private readonly long[] _confusion;
    private readonly StqOptions _options;
    private readonly Dictionary<long, int> _gtTrackIndex = [];
    private readonly Dictionary<long, int> _predTrackIndex = [];
    private readonly Dictionary<long, long> _intersections = [];
    private readonly SegmentTable _gt = new();
    private readonly SegmentTable _pred = new();
    private readonly SegmentPairCounter _pairs = new();
    private long[] _gtTrackArea = new long[16];
    private long[] _predTrackArea = new long[16];
    private int[] _gtClass = [];
    private int[] _gtInstance = [];
    private int[] _gtTrack = [];
    private int[] _predClass = [];
    private int[] _predInstance = [];
    private int[] _predTrack = [];

    /// <param name="categories">The ground truth's categories: the classes, and which of them are things.</param>
    /// <param name="options">Reference-compatibility choices; null for the defaults.</param>
    public StqAccumulator(IReadOnlyList<CocoCategory> categories, StqOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        _categories = [.. categories];
        _classCount = _categories.Count;
        _isThing = new bool[_classCount];
        for (int k = 0; k < _classCount; k++)
        {
            if (!_classOfCategory.TryAdd(_categories[k].Id, k))
            {
                throw new ArgumentException($"category id {_categories[k].Id} appears twice", nameof(categories));
            }
            _isThing[k] = _categories[k].IsThing;
        }
        // One more row and column for void; the row stays empty (ground-truth void is ignored).
        _confusion = new long[(_classCount + 1) * (_classCount + 1)];
        _options = options ?? new StqOptions();
    }

    public int FrameCount { get; private set; }

    /// <summary>Adds one frame of the sequence (frames may come in any order: STQ sums over the whole video).</summary>
    /// <exception cref="InvalidDataException">Sizes differ, a category is unknown, or the prediction lists ids
    /// inconsistently with its PNG.</exception>
    public void AddFrame(IdMap gt, IReadOnlyList<CocoSegmentInfo> gtSegments, IdMap pred, IReadOnlyList<CocoSegmentInfo> predSegments, string source = "frame")
    {
        ArgumentNullException.ThrowIfNull(gt);
        ArgumentNullException.ThrowIfNull(pred);
        if (gt.Width != pred.Width || gt.Height != pred.Height)
        {
            throw new InvalidDataException($"{source}: the prediction is {pred.Width}x{pred.Height} but the ground truth is {gt.Width}x{gt.Height}");
        }
        _gt.Load(gtSegments, source, "ground truth");
        _pred.Load(predSegments, source, "prediction");
        LabelSegments(source);
        _pairs.Count(gt.Ids, _gt, pred.Ids, _pred, source);

        ReadOnlySpan<int> gts = _pairs.PairGt, preds = _pairs.PairPred;
        ReadOnlySpan<long> pixels = _pairs.PairPixels;
        int stride = _classCount + 1;
        for (int k = 0; k < gts.Length; k++)
        {
            int gi = gts[k], pi = preds[k];
            long n = pixels[k];
            int gc = _gtClass[gi], pc = _predClass[pi];
            if (gc >= 0)
            {
                _confusion[gc * stride + (pc >= 0 ? pc : _classCount)] += n;
            }
            bool gtThing = gc >= 0 && _isThing[gc];
            bool crowd = gtThing && _gtInstance[gi] == 0;
            int gtTrack = gtThing && !crowd ? GtTrack(gi) : NoTrack;
            int predTrack = pc >= 0 && _isThing[pc] && !crowd ? PredTrack(pi) : NoTrack;
            if (gtTrack >= 0)
            {
                _gtTrackArea[gtTrack] += n;
            }
            if (predTrack >= 0)
            {
                _predTrackArea[predTrack] += n;
            }
            if (gtTrack >= 0 && predTrack >= 0)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_intersections, ((long)gtTrack << 32) | (uint)predTrack, out _) += n;
            }
        }
        FrameCount++;
        AssertInvariants();
    }

    /// <summary>The figures over all frames so far.</summary>
    public StqResult GetResult()
    {
        int gtTracks = _gtTrackIndex.Count;
        var inner = new double[gtTracks];
        foreach (KeyValuePair<long, long> pair in _intersections)
        {
            int g = (int)(pair.Key >> 32), p = (int)(uint)pair.Key;
            double tpa = pair.Value;
            // TPA + FPA + FNA = |p| + |g| − TPA.
            inner[g] += tpa * tpa / (_gtTrackArea[g] + _predTrackArea[p] - tpa);
        }
        double outer = 0;
        for (int g = 0; g < gtTracks; g++)
        {
            outer += inner[g] / _gtTrackArea[g];
        }
        double aq = gtTracks > 0 ? outer / gtTracks : 0;

        int stride = _classCount + 1;
        var classes = new List<StqClassResult>();
        double iouSum = 0;
        for (int k = 0; k < _classCount; k++)
        {
            long tp = _confusion[k * stride + k], row = 0, column = 0;
            for (int j = 0; j < stride; j++)
            {
                row += _confusion[k * stride + j];
                column += _confusion[j * stride + k];
            }
            long fp = column - tp, fn = row - tp;
            if (tp + fp + fn == 0)
            {
                continue;
            }
            double iou = (double)tp / (tp + fp + fn);
            iouSum += iou;
            CocoCategory c = _categories[k];
            classes.Add(new StqClassResult(c.Id, c.Name, c.IsThing, iou, tp, fp, fn));
        }
        long predictedVoid = 0;
        for (int j = 0; j < _classCount; j++)
        {
            predictedVoid += _confusion[j * stride + _classCount];
        }
        if (_options.CountVoidPredictionsAsClass && predictedVoid > 0)
        {
            classes.Add(new StqClassResult(-1, "void (predicted)", false, 0, 0, predictedVoid, 0));
        }
        double sq = classes.Count > 0 ? iouSum / classes.Count : 0;
        return new StqResult(aq, sq, FrameCount, gtTracks, _predTrackIndex.Count, classes);
    }

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(_gtTrackIndex.Count <= _gtTrackArea.Length && _predTrackIndex.Count <= _predTrackArea.Length);
        for (int j = 0; j <= _classCount; j++)
        {
            Debug.Assert(_confusion[_classCount * (_classCount + 1) + j] == 0, "the ground-truth void row stays empty");
        }
    }

    private void LabelSegments(string source)
    {
        int gtSlots = _gt.Unlisted + 1, predSlots = _pred.Count + 1;
        if (_gtClass.Length < gtSlots)
        {
            _gtClass = new int[gtSlots];
            _gtInstance = new int[gtSlots];
            _gtTrack = new int[gtSlots];
        }
        if (_predClass.Length < predSlots)
        {
            _predClass = new int[predSlots];
            _predInstance = new int[predSlots];
            _predTrack = new int[predSlots];
        }
        _gtClass[0] = _gtClass[_gt.Unlisted] = -1;
        _gtInstance[0] = _gtInstance[_gt.Unlisted] = 0;
        _predClass[0] = -1;
        _predInstance[0] = 0;
        for (int gi = 1; gi <= _gt.Count; gi++)
        {
            CocoSegmentInfo s = _gt[gi];
            _gtClass[gi] = ClassOf(s, source, "ground-truth");
            _gtInstance[gi] = s.IsCrowd ? 0 : s.TrackId ?? s.Id;
        }
        for (int pi = 1; pi <= _pred.Count; pi++)
        {
            CocoSegmentInfo s = _pred[pi];
            _predClass[pi] = ClassOf(s, source, "predicted");
            _predInstance[pi] = s.TrackId ?? s.Id;
        }
        Array.Fill(_gtTrack, NotComputed, 0, gtSlots);
        Array.Fill(_predTrack, NotComputed, 0, predSlots);
    }

    private int ClassOf(CocoSegmentInfo s, string source, string role)
    {
        if (!_classOfCategory.TryGetValue(s.CategoryId, out int k))
        {
            throw new InvalidDataException($"{source}: {role} segment {s.Id} has category {s.CategoryId}, which the ground truth does not define");
        }
        return k;
    }

    private int GtTrack(int gi)
    {
        int t = _gtTrack[gi];
        if (t == NotComputed)
        {
            t = _gtTrack[gi] = Intern(_gtTrackIndex, ref _gtTrackArea, _gtClass[gi], _gtInstance[gi]);
        }
        return t;
    }

    private int PredTrack(int pi)
    {
        int t = _predTrack[pi];
        if (t == NotComputed)
        {
            t = _predTrack[pi] = Intern(_predTrackIndex, ref _predTrackArea, _predClass[pi], _predInstance[pi]);
        }
        return t;
    }

    private static int Intern(Dictionary<long, int> index, ref long[] areas, int cls, int instance)
    {
        long key = ((long)cls << 32) | (uint)instance;
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out bool exists);
        if (!exists)
        {
            slot = index.Count - 1;
            if (slot == areas.Length)
            {
                Array.Resize(ref areas, areas.Length * 2);
            }
        }
        return slot;
    }
}
