using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises torchvision Mask R-CNN exports (<see cref="MaskRcnnLayout"/>) by ranks and types rather than names
/// (exporters name them boxes/labels/scores/masks or by node id): a float [n, 4], an integer [n], a float [n] and a
/// float [n, 1, H, W] output. Class count from metadata 'names', else torchvision's 91 COCO ids.
/// </summary>
internal sealed class MaskRcnnDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "maskrcnn";

    /// <summary>torchvision's COCO label space (ids 1..90, 0 background), used when the model has no 'names'.</summary>
    public const int DefaultClassCount = 91;

    /// <summary>torchvision detection models take RGB in 0..1 and normalise inside the graph.</summary>
    public static readonly InputConvention Torchvision = new(ColorOrder.Rgb, 0f, 255f, "torchvision convention (RGB, 0..1, normalised inside the model)");

    public string Name => DecoderName;

    public InputConvention? Convention => Torchvision;

    public bool RunsNms => false;

    public string Expects => "boxes [n,4] float, labels [n] int64, scores [n] float, masks [n,1,H,W] float";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        string needs = $"a torchvision Mask R-CNN export needs {Expects}";
        IReadOnlyList<TensorInfo> outputs = signature.Outputs;
        if (outputs.Count != 4)
        {
            reason = $"the model has {outputs.Count} outputs ({string.Join(", ", outputs)}); {needs}";
            return false;
        }
        int boxes = -1, labels = -1, scores = -1, masks = -1;
        for (int i = 0; i < outputs.Count; i++)
        {
            TensorInfo t = outputs[i];
            if (t.Rank == 2 && t.IsFloat32 && t.Shape[1] == 4 && boxes < 0) { boxes = i; }
            else if (t.Rank == 1 && (t.ElementType is "int64" or "int32" or "float32") && !t.IsFloat32 && labels < 0) { labels = i; }
            else if (t.Rank == 1 && t.IsFloat32 && scores < 0) { scores = i; }
            else if (t.Rank == 4 && t.IsFloat32 && t.Shape[1] == 1 && masks < 0) { masks = i; }
        }
        if (boxes < 0 || labels < 0 || scores < 0 || masks < 0)
        {
            string missing = boxes < 0 ? "boxes [n,4] float" : labels < 0 ? "labels [n] int64" : scores < 0 ? "scores [n] float" : "masks [n,1,H,W] float";
            reason = $"no output fits {missing} among {string.Join(", ", outputs)}; {needs}";
            return false;
        }
        if (input.Batched)
        {
            reason = $"outputs fit, but the input is batched ({input.Name} [1,…]); torchvision detection exports take one unbatched [3,H,W] image";
            return false;
        }
        TensorInfo m = outputs[masks];
        if ((m.Shape[2] > 0 && m.Shape[2] != input.Height) || (m.Shape[3] > 0 && m.Shape[3] != input.Width))
        {
            reason = $"output '{m.Name}' has shape {m.ShapeText}; masks must be pasted at the {input.Height}x{input.Width} input size";
            return false;
        }
        int nc = signature.ClassNames?.Count ?? DefaultClassCount;
        string classSource = signature.ClassNames is null ? $"assumed {DefaultClassCount} (torchvision COCO ids): no metadata 'names'" : "metadata 'names'";
        int step = MaskRcnnLayout.StepFor(input.Width, input.Height);
        var resolved = new MaskRcnnLayout(boxes, labels, scores, masks, outputs[labels].ElementType == "int64", nc, input.Width, input.Height, step);
        if (outputs[labels].ElementType != "int64")
        {
            reason = $"output '{outputs[labels].Name}' is {outputs[labels].ElementType}; torchvision exports int64 labels";
            return false;
        }
        resolved.AssertInvariants();
        layout = resolved;
        reason = $"'{outputs[boxes].Name}' {outputs[boxes].ShapeText}, '{outputs[labels].Name}' {outputs[labels].ShapeText} int64, '{outputs[scores].Name}' {outputs[scores].ShapeText}, "
            + $"'{m.Name}' {m.ShapeText} = instances after in-model NMS with masks at input resolution (stored every {step} px); classes: {classSource}";
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new MaskRcnnDecoder((MaskRcnnLayout)layout, options);
}
