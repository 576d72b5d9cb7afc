using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Metadata;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises a two-head panoptic model: a YOLO segmentation head ([1, 4+nc+nm, N] + [1, nm, mh, mw] prototypes) and
/// a semantic output — an integer class map [1, h, w] (uint8/int8/int32/int64) or float scores [1, C, h, w]. Output
/// roles come from metadata <c>realtimeseg.outputs</c> ("instances", "prototypes", "semantic") when present, else from
/// ranks and element types; the semantic class count from <c>realtimeseg.semantic_classes</c> or the scores' C.
/// </summary>
internal sealed class PanopticDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "panoptic";

    private static readonly YoloSegDecoderFactory Instances = new();

    public string Name => DecoderName;

    public InputConvention? Convention => InputConvention.Ultralytics;

    public bool RunsNms => true;

    public string Expects => "a YOLO segmentation head and prototypes plus a semantic output [1, h, w] (class indices) or [1, C, h, w] (scores)";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        IReadOnlyList<TensorInfo> outputs = signature.Outputs;
        if (outputs.Count != 3)
        {
            reason = $"the model has {outputs.Count} outputs; a two-head panoptic model has 3: {Expects}";
            return false;
        }
        RealtimeSegMetadata meta = signature.Extensions;
        int head = FindRole(outputs, meta, "instances"), proto = FindRole(outputs, meta, "prototypes"), semantic = FindRole(outputs, meta, "semantic");
        for (int i = 0; i < outputs.Count; i++)
        {
            TensorInfo t = outputs[i];
            if (head < 0 && t.Rank == 3 && t.IsFloat32 && i != proto && i != semantic)
            {
                head = i;
            }
            else if (semantic < 0 && !t.IsFloat32 && t.Rank is 3 or 4 && i != head && i != proto)
            {
                semantic = i;
            }
        }
        for (int i = 0; i < outputs.Count && proto < 0; i++)
        {
            if (i != head && i != semantic && outputs[i].Rank == 4 && outputs[i].IsFloat32)
            {
                proto = i;
            }
        }
        for (int i = 0; i < outputs.Count && semantic < 0; i++)
        {
            if (i != head && i != proto)
            {
                semantic = i;
            }
        }
        if (head < 0 || proto < 0 || semantic < 0 || head == proto || head == semantic || proto == semantic)
        {
            reason = $"cannot tell the instance head, prototypes and semantic output apart among {string.Join(", ", outputs)}; "
                + $"name them in metadata '{RealtimeSegMetadata.OutputsKey}'";
            return false;
        }

        // The instance part is exactly the YOLO segmentation family on those two outputs.
        var metadata = new Dictionary<string, string>(signature.Metadata.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> kv in signature.Metadata)
        {
            if (kv.Key != "task")
            {
                metadata[kv.Key] = kv.Value;
            }
        }
        var things = new ModelSignature(signature.Path, signature.Producer, signature.RawInputs, [outputs[head], outputs[proto]], metadata);
        if (!Instances.TryMatch(things, input, out IDecoderLayout? instanceLayout, out string instanceReason))
        {
            reason = "instance head: " + instanceReason;
            return false;
        }
        var yolo = (YoloSegLayout)instanceLayout with { HeadOutput = head, ProtoOutput = proto };

        if (!TryMatchSemantic(outputs[semantic], semantic, meta, input, out SemanticLayout? stuff, out string semanticReason))
        {
            reason = semanticReason;
            return false;
        }
        layout = new PanopticLayout(yolo, stuff);
        reason = $"instances: {instanceReason}; semantic: {semanticReason}";
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new PanopticDecoder((PanopticLayout)layout, options);

    private static int FindRole(IReadOnlyList<TensorInfo> outputs, RealtimeSegMetadata meta, string role)
    {
        if (!meta.TryGetOutput(role, out string? name))
        {
            return -1;
        }
        for (int i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The semantic output of a panoptic model; see <see cref="SemanticOutputMatcher.TryMatch"/>.</summary>
    internal static bool TryMatchSemantic(TensorInfo t, int index, RealtimeSegMetadata meta, InputSpec input, [NotNullWhen(true)] out SemanticLayout? layout, out string reason)
        => SemanticOutputMatcher.TryMatch(t, index, meta, input, out layout, out reason);
}
