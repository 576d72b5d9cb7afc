using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Decodes a two-head panoptic model (the project's demo model, docs/models.md): instances with the YOLO segmentation
/// decoder, and the semantic output into a <see cref="SemanticMap"/>. Composition (things over stuff, score order,
/// minimum area) is not done here but by the panoptic composer, the one place its rules live.
/// </summary>
internal sealed class PanopticDecoder : IOutputDecoder
{
    private readonly YoloSegDecoder _things;
    private readonly SemanticLayout _stuff;

    public PanopticDecoder(PanopticLayout layout, DecoderOptions options)
    {
        layout.Stuff.AssertInvariants();
        _things = new YoloSegDecoder(layout.Things, options);
        _stuff = layout.Stuff;
    }

    public string Name => PanopticDecoderFactory.DecoderName;

    public int ClassCount => _things.ClassCount;

    public int SemanticClassCount => _stuff.ClassCount;

    public int MaxDetections => _things.MaxDetections;

    public int MaskArenaFloats => _things.MaskArenaFloats;

    public object CreateWorkspace() => _things.CreateWorkspace();

    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
    {
        _things.Decode(slot, output, null);
        if (semantic is not null)
        {
            SemanticMapReader.Read(slot, _stuff, semantic);
        }
    }
}
