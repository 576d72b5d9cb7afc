using System.Diagnostics;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The YOLO end-to-end family (Ultralytics <c>nms=True</c> / YOLOv10 / YOLO26 exports): NMS runs inside the model,
/// whose head is [1, N, 6+nm] — per kept instance x1, y1, x2, y2 (input pixels), score, class id, then nm mask
/// coefficients — plus, when nm &gt; 0, [1, nm, mh, mw] mask prototypes. Rows after the last real instance score 0.
/// </summary>
internal sealed record YoloEndToEndLayout(
    int HeadOutput,
    int ProtoOutput,
    int ClassCount,
    int MaskCount,
    int RowCount,
    int ProtoHeight,
    int ProtoWidth,
    int InputWidth,
    int InputHeight) : IDecoderLayout
{
    public const int ScoreOffset = 4;
    public const int ClassOffset = 5;
    public const int MaskOffset = 6;

    public int Attributes => MaskOffset + MaskCount;

    public int HeadLength => RowCount * Attributes;

    public int ProtoLength => MaskCount * ProtoHeight * ProtoWidth;

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(ClassCount > 0 && MaskCount >= 0 && RowCount > 0);
        Debug.Assert(MaskCount == 0 ? ProtoOutput < 0 : ProtoHeight > 0 && ProtoWidth > 0 && ProtoOutput >= 0);
    }
}
