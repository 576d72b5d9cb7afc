using System.Diagnostics;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The torchvision Mask R-CNN export family: one unbatched [3, H, W] image in, and per detected instance (n known
/// only after the run) <c>boxes</c> [n, 4] (x1, y1, x2, y2 in input pixels), <c>labels</c> [n] (int64 class ids,
/// 0 = background never emitted), <c>scores</c> [n] and <c>masks</c> [n, 1, H, W] (probabilities pasted at input
/// resolution). NMS and mask pasting happen inside the model.
/// </summary>
/// <param name="MaskStep">Input pixels per stored mask cell: masks are sampled every MaskStep pixels so one instance
/// never needs more than <see cref="MaxMaskCells"/> cells a side, whatever the input size.</param>
internal sealed record MaskRcnnLayout(
    int BoxesOutput,
    int LabelsOutput,
    int ScoresOutput,
    int MasksOutput,
    bool LabelsAreInt64,
    int ClassCount,
    int InputWidth,
    int InputHeight,
    int MaskStep) : IDecoderLayout
{
    /// <summary>Cells per side of the stored mask grid at most: about YOLO's 80x80 prototypes, a quarter MB per 100 instances at 160.</summary>
    public const int MaxMaskCells = 128;

    /// <summary>Instances read per frame at most (torchvision keeps 100 by default).</summary>
    public const int MaxRows = 1000;

    public int MaskColumns => (InputWidth + MaskStep - 1) / MaskStep;

    public int MaskRows => (InputHeight + MaskStep - 1) / MaskStep;

    public static int StepFor(int width, int height) => Math.Max(1, (Math.Max(width, height) + MaxMaskCells - 1) / MaxMaskCells);

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(ClassCount > 0 && InputWidth > 0 && InputHeight > 0 && MaskStep >= 1);
        Debug.Assert(MaskColumns <= MaxMaskCells && MaskRows <= MaxMaskCells);
    }
}
