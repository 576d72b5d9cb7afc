using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>Per-slot scratch for <see cref="YoloSegDecoder"/>, sized once from the layout so decoding allocates nothing.</summary>
internal sealed class YoloSegWorkspace
{
    public YoloSegWorkspace(YoloSegLayout layout, int maxDetections)
    {
        int n = layout.AnchorCount;
        BestScore = new float[n];
        BestClass = new int[n];
        SortKeys = new float[n];
        Anchors = new int[n];
        Boxes = new BoundingBox[n];
        Classes = new int[n];
        Keep = new int[maxDetections];
        Coefficients = new float[Math.Max(1, layout.MaskCount)];
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

    public float[] Coefficients { get; }
}
