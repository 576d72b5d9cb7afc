using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises the YOLO end-to-end family (<see cref="YoloEndToEndLayout"/>): metadata <c>end2end=True</c>, or a head
/// [1, N, 6+nm] whose nm matches the prototypes (nm = 0 without them) and whose N is not the stride 8/16/32
/// candidate count (that would be a YOLOX grid with one class). Class count from metadata 'names', else COCO's 80.
/// </summary>
internal sealed class YoloEndToEndDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "yolo-e2e";

    /// <summary>Class count assumed without metadata 'names': every public end-to-end YOLO export is COCO-trained.</summary>
    public const int DefaultClassCount = 80;

    public string Name => DecoderName;

    public InputConvention? Convention => InputConvention.Ultralytics;

    public bool RunsNms => false;

    public string Expects => "output0 [1, N, 6+nm] (x1, y1, x2, y2, score, class, nm coefficients) and, when nm > 0, output1 [1, nm, mh, mw]";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        string needs = $"an end-to-end YOLO model needs {Expects}";
        bool declared = signature.Metadata.TryGetValue("end2end", out string? e2e) && e2e.Equals("True", StringComparison.OrdinalIgnoreCase);
        IReadOnlyList<TensorInfo> outputs = signature.Outputs;
        if (outputs.Count is not 1 and not 2)
        {
            reason = $"the model has {outputs.Count} outputs ({string.Join(", ", outputs)}); {needs}";
            return false;
        }
        int head = -1, proto = -1;
        for (int i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].Rank == 3 && head < 0) { head = i; }
            else if (outputs[i].Rank == 4 && proto < 0) { proto = i; }
        }
        if (head < 0 || (outputs.Count == 2 && proto < 0))
        {
            reason = $"outputs {string.Join(", ", outputs)}; {needs}";
            return false;
        }
        TensorInfo h = outputs[head];
        if (!h.IsFloat32 || h.Shape[0] != 1 || h.Shape[1] <= 0 || h.Shape[2] <= 0)
        {
            reason = $"output '{h.Name}' is {h.ElementType} {h.ShapeText}; {needs} as float32 with static shape";
            return false;
        }
        int nm = 0, mh = 0, mw = 0;
        if (proto >= 0)
        {
            TensorInfo p = outputs[proto];
            if (!p.IsFloat32 || p.Shape[0] != 1 || p.Shape[1] <= 0 || p.Shape[2] <= 0 || p.Shape[3] <= 0)
            {
                reason = $"output '{p.Name}' is {p.ElementType} {p.ShapeText}; {needs}";
                return false;
            }
            (nm, mh, mw) = ((int)p.Shape[1], (int)p.Shape[2], (int)p.Shape[3]);
        }
        if (h.Shape[2] != 6 + nm)
        {
            reason = $"output '{h.Name}' has shape {h.ShapeText}; with {nm} mask prototypes {needs}, i.e. [1, N, {6 + nm}]";
            return false;
        }
        int rows = (int)h.Shape[1];
        if (!declared && rows == YoloxLayout.AnchorsFor(input.Width, input.Height, YoloxLayout.DefaultStrides))
        {
            reason = $"output '{h.Name}' {h.ShapeText} has one row per stride 8/16/32 grid cell: a raw grid head (YOLOX), not NMS output";
            return false;
        }
        if (signature.TaskName is { } task && !task.Equals(nm > 0 ? "segment" : "detect", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"metadata task='{task}' but the outputs are an end-to-end {(nm > 0 ? "segmentation" : "detection")} head";
            return false;
        }
        int nc = signature.ClassNames?.Count ?? DefaultClassCount;
        string classSource = signature.ClassNames is null ? $"assumed {DefaultClassCount} (COCO): no metadata 'names'" : "metadata 'names'";
        var resolved = new YoloEndToEndLayout(head, proto, nc, nm, rows, mh, mw, input.Width, input.Height);
        resolved.AssertInvariants();
        layout = resolved;
        reason = $"'{h.Name}' {h.ShapeText} = up to {rows} instances after in-model NMS x (x1, y1, x2, y2, score, class{(nm > 0 ? $" + {nm} mask coefficients" : "")})"
            + (nm > 0 ? $"; '{outputs[proto].Name}' {outputs[proto].ShapeText} = {nm} prototypes {mh}x{mw}" : ", no masks")
            + $"; {(declared ? "metadata end2end=True" : "recognised from shapes")}; classes: {classSource}";
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new YoloEndToEndDecoder((YoloEndToEndLayout)layout, options);
}
