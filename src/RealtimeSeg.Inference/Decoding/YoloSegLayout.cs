using System.Diagnostics;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The Ultralytics YOLO segmentation output family as one description: a head of N candidates, each with
/// 4 box values (cx, cy, w, h in input pixels), an optional objectness (v5), <see cref="ClassCount"/> class scores
/// (already sigmoid) and <see cref="MaskCount"/> mask coefficients — laid out attributes-first [1, C, N] (v8/v11) or
/// attributes-last [1, N, C] (v5, transposed exports) — plus [1, nm, mh, mw] mask prototypes.
/// </summary>
internal sealed record YoloSegLayout(
    int HeadOutput,
    int ProtoOutput,
    bool AttributesFirst,
    bool HasObjectness,
    int ClassCount,
    int MaskCount,
    int AnchorCount,
    int ProtoHeight,
    int ProtoWidth,
    int InputWidth,
    int InputHeight) : IDecoderLayout
{
    public int ObjectnessOffset => 4;
    public int ClassOffset => HasObjectness ? 5 : 4;
    public int MaskOffset => ClassOffset + ClassCount;
    public int Attributes => MaskOffset + MaskCount;

    /// <summary>Input pixels per prototype cell.</summary>
    public float ProtoCellWidth => (float)InputWidth / ProtoWidth;
    public float ProtoCellHeight => (float)InputHeight / ProtoHeight;

    public int HeadLength => Attributes * AnchorCount;
    public int ProtoLength => MaskCount * ProtoHeight * ProtoWidth;

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(ClassCount > 0 && MaskCount >= 0 && AnchorCount > 0);
        Debug.Assert(MaskCount == 0 || (ProtoHeight > 0 && ProtoWidth > 0));
        Debug.Assert(InputWidth > 0 && InputHeight > 0);
    }
}
