namespace RealtimeSeg.Inference.Decoding;

/// <summary>The two-head panoptic family: a YOLO segmentation instance head for the things and a semantic map for the stuff.</summary>
internal sealed record PanopticLayout(YoloSegLayout Things, SemanticLayout Stuff) : IDecoderLayout
{
    public int ClassCount => Things.ClassCount;
}
