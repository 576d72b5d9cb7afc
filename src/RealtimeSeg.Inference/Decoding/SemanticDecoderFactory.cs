using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises semantic segmentation models (DeepLab, SegFormer, road segmentation, MMSegmentation exports): one
/// output that is a per-pixel class map or per-class scores (<see cref="SemanticOutputMatcher"/>). They have no
/// instance classes; every class is published as stuff (docs/models.md says why object classes are too).
/// </summary>
internal sealed class SemanticDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "semantic";

    public string Name => DecoderName;

    /// <summary>Semantic exports follow no one convention (DeepLab: RGB x/127.5-1; OpenVINO: BGR 0..255): configs say.</summary>
    public InputConvention? Convention => null;

    public bool RunsNms => false;

    public string Expects => "one output: class scores [1, C, h, w] or [1, h, w, C] (logits or probabilities), or class indices [1, h, w]";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        if (signature.Outputs.Count != 1)
        {
            reason = $"the model has {signature.Outputs.Count} outputs ({string.Join(", ", signature.Outputs)}); a semantic segmentation model needs {Expects}";
            return false;
        }
        if (!SemanticOutputMatcher.TryMatch(signature.Outputs[0], 0, signature.Extensions, input, out SemanticLayout? semantic, out reason))
        {
            return false;
        }
        layout = new SemanticOnlyLayout(semantic);
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new SemanticDecoder(((SemanticOnlyLayout)layout).Semantic, options);
}
