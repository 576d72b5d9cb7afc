using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// Counts, for one image, the pixels of every (ground-truth segment, predicted segment) pair — the "confusion" both
/// PQ and STQ are built from. Indices are <see cref="SegmentTable"/>'s (0 = void). Pixels are taken in runs of equal
/// (gt, pred) ids found by vectorised scans, so per-pixel work is a SIMD compare and id lookups happen only where
/// either map changes. Buffers are reused across images.
/// </summary>
internal sealed class SegmentPairCounter
{
    // Above this many cells the (rows × cols) matrix gives way to a dictionary of the pairs that occur.
    private const int MaxDenseCells = 1 << 22;

    private readonly Dictionary<long, long> _sparse = [];
    private int[] _dense = [];
    private int _cols;
    private bool _useDense;
    private int[] _pairGt = new int[64];
    private int[] _pairPred = new int[64];
    private long[] _pairPixels = new long[64];

    /// <summary>Number of (gt, pred) pairs with at least one pixel.</summary>
    public int PairCount { get; private set; }

    public ReadOnlySpan<int> PairGt => _pairGt.AsSpan(0, PairCount);

    public ReadOnlySpan<int> PairPred => _pairPred.AsSpan(0, PairCount);

    public ReadOnlySpan<long> PairPixels => _pairPixels.AsSpan(0, PairCount);

    /// <summary>Counts the pairs of two equally sized id maps.</summary>
    /// <exception cref="InvalidDataException">The prediction PNG holds an id its segments_info does not list (panopticapi refuses this too).</exception>
    public void Count(ReadOnlySpan<int> gtIds, SegmentTable gt, ReadOnlySpan<int> predIds, SegmentTable pred, string source)
    {
        Debug.Assert(gtIds.Length == predIds.Length);
        int rows = gt.Unlisted + 1;
        _cols = pred.Count + 1;
        long cells = (long)rows * _cols;
        _useDense = cells <= MaxDenseCells;
        if (_useDense && _dense.Length < cells)
        {
            _dense = new int[cells];
        }
        PairCount = 0;
        if (gtIds.IsEmpty)
        {
            return;
        }

        // Each map is cut into runs of equal ids once (vectorised scans); a (gt, pred) pair run ends where either does.
        int n = gtIds.Length;
        int gEnd = RunEnd(gtIds, 0), pEnd = RunEnd(predIds, 0);
        int gi = gt.IndexOf(gtIds[0]), pi = PredIndex(predIds[0], pred, source);
        int i = 0;
        while (true)
        {
            int end = Math.Min(gEnd, pEnd);
            Add(gi, pi, end - i);
            i = end;
            if (i == n)
            {
                break;
            }
            if (i == gEnd)
            {
                gEnd = RunEnd(gtIds, i);
                gi = gt.IndexOf(gtIds[i]);
            }
            if (i == pEnd)
            {
                pEnd = RunEnd(predIds, i);
                pi = PredIndex(predIds[i], pred, source);
            }
        }
        Collect(rows);
        AssertInvariants(gtIds.Length);
    }

    [Conditional("DEBUG")]
    private void AssertInvariants(int pixels)
    {
        long total = 0;
        foreach (long n in PairPixels)
        {
            Debug.Assert(n > 0);
            total += n;
        }
        Debug.Assert(total == pixels, "every pixel belongs to exactly one pair");
        Debug.Assert(_sparse.Count == 0);
    }

    /// <summary>The index after the run of equal ids starting at <paramref name="start"/>.</summary>
    private static int RunEnd(ReadOnlySpan<int> ids, int start)
    {
        int k = ids[(start + 1)..].IndexOfAnyExcept(ids[start]);
        return k < 0 ? ids.Length : start + 1 + k;
    }

    private static int PredIndex(int id, SegmentTable pred, string source)
    {
        int index = pred.IndexOf(id);
        if (index == pred.Unlisted)
        {
            ThrowUnlistedPrediction(id, source);
        }
        return index;
    }

    private void Add(int gi, int pi, int pixels)
    {
        if (_useDense)
        {
            _dense[gi * _cols + pi] += pixels;
        }
        else
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_sparse, ((long)gi << 32) | (uint)pi, out _) += pixels;
        }
    }

    /// <summary>Moves the counts into the pair lists and leaves the matrix (or dictionary) empty for the next image.</summary>
    private void Collect(int rows)
    {
        if (_useDense)
        {
            Span<int> dense = _dense.AsSpan(0, rows * _cols);
            for (int k = 0; k < dense.Length; k++)
            {
                if (dense[k] != 0)
                {
                    Append(k / _cols, k % _cols, dense[k]);
                    dense[k] = 0;
                }
            }
            return;
        }
        foreach (KeyValuePair<long, long> pair in _sparse)
        {
            Append((int)(pair.Key >> 32), (int)(uint)pair.Key, pair.Value);
        }
        _sparse.Clear();
    }

    private void Append(int gi, int pi, long pixels)
    {
        if (PairCount == _pairGt.Length)
        {
            Array.Resize(ref _pairGt, PairCount * 2);
            Array.Resize(ref _pairPred, PairCount * 2);
            Array.Resize(ref _pairPixels, PairCount * 2);
        }
        _pairGt[PairCount] = gi;
        _pairPred[PairCount] = pi;
        _pairPixels[PairCount] = pixels;
        PairCount++;
    }

    private static void ThrowUnlistedPrediction(int id, string source)
        => throw new InvalidDataException($"{source}: segment id {id} is in the prediction PNG but not in its segments_info");
}
