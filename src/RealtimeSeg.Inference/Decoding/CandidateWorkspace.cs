using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Per-slot scratch for the anchor-based decoders (score every anchor, keep those above the threshold, sort best
/// first, NMS), sized once from the layout so decoding allocates nothing.
/// </summary>
internal sealed class CandidateWorkspace
{
    public CandidateWorkspace(int anchorCount, int maxDetections, int coefficientCount)
    {
        BestScore = new float[anchorCount];
        BestClass = new int[anchorCount];
        SortKeys = new float[anchorCount];
        Anchors = new int[anchorCount];
        Boxes = new BoundingBox[anchorCount];
        Classes = new int[anchorCount];
        Keep = new int[maxDetections];
        Merged = new BoundingBox[maxDetections];
        Coefficients = new float[Math.Max(1, coefficientCount)];
    }

    /// <summary>Per anchor: best (allowed) class score, times objectness where the layout has it.</summary>
    public float[] BestScore { get; }
    public int[] BestClass { get; }

    /// <summary>Per candidate (anchors above the threshold): −score, so an ascending sort puts the best first.</summary>
    public float[] SortKeys { get; }
    public int[] Anchors { get; }

    /// <summary>Per sorted candidate: box in input pixels and class.</summary>
    public BoundingBox[] Boxes { get; }
    public int[] Classes { get; }

    /// <summary>Indices into the sorted candidates that survive NMS.</summary>
    public int[] Keep { get; }

    /// <summary>Scratch for <see cref="MergeKept"/>: the merged box of each kept candidate.</summary>
    public BoundingBox[] Merged { get; }

    /// <summary>One instance's mask coefficients (segmentation families).</summary>
    public float[] Coefficients { get; }

    /// <summary>
    /// Puts the anchors whose <see cref="BestScore"/> exceeds <paramref name="threshold"/> into
    /// <see cref="Anchors"/>, best first, and returns how many. Span sorting of primitives allocates nothing.
    /// </summary>
    public int CollectBestFirst(int anchorCount, float threshold)
    {
        float[] best = BestScore;
        float[] keys = SortKeys;
        int[] anchors = Anchors;
        int count = 0;
        for (int a = 0; a < anchorCount; a++)
        {
            float s = best[a];
            if (s > threshold)
            {
                keys[count] = -s;
                anchors[count] = a;
                count++;
            }
        }
        keys.AsSpan(0, count).Sort(anchors.AsSpan(0, count));
        return count;
    }

    /// <summary>Score of sorted candidate <paramref name="j"/>.</summary>
    public float Score(int j) => -SortKeys[j];

    /// <summary>
    /// After NMS kept <paramref name="kept"/> of the <paramref name="count"/> sorted candidates, replaces each kept box
    /// by the merge of its same-class neighbours (<see cref="NonMaxSuppression.MergeKept"/>). The scores it weights by
    /// are the candidates' own (<see cref="Score"/>), read in place; <see cref="SortKeys"/> is negated back afterwards.
    /// </summary>
    public void MergeKept(int count, int kept, float mergeIouThreshold)
    {
        Span<float> keys = SortKeys.AsSpan(0, count);
        System.Numerics.Tensors.TensorPrimitives.Negate(keys, keys);
        NonMaxSuppression.MergeKept(Boxes.AsSpan(0, count), Classes.AsSpan(0, count), keys, Keep.AsSpan(0, kept), mergeIouThreshold, Merged);
        System.Numerics.Tensors.TensorPrimitives.Negate(keys, keys);
    }
}
