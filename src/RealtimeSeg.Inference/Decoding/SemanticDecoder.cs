using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Decodes a semantic-only model: no instances (the detection set is left empty), and the per-pixel arg-max class into
/// the <see cref="SemanticMap"/>, mapped back through the letterbox. Allocates nothing per frame (maps up to 4096
/// cells per class plane are reduced on the stack; larger NCHW maps rent their running maximum once per frame from
/// the shared pool, which does not allocate after the first rent).
/// </summary>
internal sealed class SemanticDecoder : IOutputDecoder
{
    private readonly SemanticLayout _layout;
    private readonly DecoderOptions _options;

    public SemanticDecoder(SemanticLayout layout, DecoderOptions options)
    {
        layout.AssertInvariants();
        _layout = layout;
        _options = options;
    }

    public string Name => SemanticDecoderFactory.DecoderName;

    public SemanticLayout Layout => _layout;

    public int ClassCount => 0;

    public int SemanticClassCount => _layout.ClassCount;

    /// <summary>Detection sets need a capacity of at least one even when nothing is ever added.</summary>
    public int MaxDetections => Math.Max(1, _options.MaxDetections);

    public int MaskArenaFloats => 0;

    public object CreateWorkspace() => this; // no per-slot scratch

    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
    {
        output.Clear();
        if (semantic is not null)
        {
            SemanticMapReader.Read(slot, _layout, semantic);
        }
    }
}
