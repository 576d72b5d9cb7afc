using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises the Ultralytics YOLO segmentation family (v5-seg, v8-seg, v11-seg) from output shapes and metadata and
/// resolves its <see cref="YoloSegLayout"/>. The class count comes from metadata <c>names</c>; without names it is
/// what is left of the head's attributes after 4 box values and nm = the prototypes' dim 1 coefficients.
/// </summary>
internal sealed class YoloSegDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "yolo-seg";

    public string Name => DecoderName;

    public InputConvention? Convention => InputConvention.Ultralytics;

    public bool RunsNms => true;

    public string Expects => "output0 [1, 4+nc+nm, N] and output1 [1, nm, mh, mw]";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        string needs = $"a YOLO segmentation model needs {Expects}";
        IReadOnlyList<TensorInfo> outputs = signature.Outputs;

        if (signature.Metadata.TryGetValue("end2end", out string? e2e) && e2e.Equals("True", StringComparison.OrdinalIgnoreCase))
        {
            reason = "metadata end2end=True: NMS is built into this export ([1, max_det, 6+nm]); yolo-seg decodes raw heads — export with nms=False";
            return false;
        }
        if (signature.TaskName is { } task && !task.Equals("segment", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"metadata task='{task}', not 'segment'; {needs}";
            return false;
        }

        if (outputs.Count == 0)
        {
            reason = $"the model has no outputs; {needs}";
            return false;
        }
        int head = -1, proto = -1;
        for (int i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].Rank == 3 && head < 0)
            {
                head = i;
            }
            else if (outputs[i].Rank == 4 && proto < 0)
            {
                proto = i;
            }
        }
        if (outputs.Count != 2 || head < 0 || proto < 0)
        {
            TensorInfo offending = FirstOffending(outputs, head, proto);
            reason = outputs.Count == 1 && head == 0
                ? $"the model has no mask prototype output (only {offending}); {needs}"
                : $"output '{offending.Name}' has shape {offending.ShapeText}; {needs}";
            return false;
        }

        TensorInfo h = outputs[head], p = outputs[proto];
        foreach (TensorInfo t in (ReadOnlySpan<TensorInfo>)[h, p])
        {
            if (!t.IsFloat32)
            {
                reason = $"output '{t.Name}' is {t.ElementType}; {needs} as float32";
                return false;
            }
            for (int d = 0; d < t.Rank; d++)
            {
                if (t.Shape[d] <= 0)
                {
                    reason = $"output '{t.Name}' has dynamic shape {t.ShapeText}; yolo-seg needs static shapes (export with dynamic=False)";
                    return false;
                }
            }
            if (t.Shape[0] != 1)
            {
                reason = $"output '{t.Name}' has shape {t.ShapeText} (batch {t.Shape[0]}); {needs} with batch 1";
                return false;
            }
        }

        int nm = (int)p.Shape[1], mh = (int)p.Shape[2], mw = (int)p.Shape[3];
        long d1 = h.Shape[1], d2 = h.Shape[2];
        if (mh > input.Height || mw > input.Width)
        {
            reason = $"output '{p.Name}' has shape {p.ShapeText}: {mh}x{mw} prototypes are finer than the {input.Height}x{input.Width} input; {needs}";
            return false;
        }

        bool attributesFirst, objectness;
        int nc;
        string classSource;
        if (signature.ClassNames is { } names)
        {
            nc = names.Count;
            if (nc == 0 || names.Keys.Min() != 0 || names.Keys.Max() != nc - 1)
            {
                reason = $"metadata 'names' has {nc} classes with ids that are not 0..{nc - 1}";
                return false;
            }
            classSource = "metadata 'names'";
            if (d1 == 4 + nc + nm) { (attributesFirst, objectness) = (true, false); }
            else if (d2 == 4 + nc + nm) { (attributesFirst, objectness) = (false, false); }
            else if (d2 == 5 + nc + nm) { (attributesFirst, objectness) = (false, true); }
            else if (d1 == 5 + nc + nm) { (attributesFirst, objectness) = (true, true); }
            else
            {
                reason = $"output '{h.Name}' has shape {h.ShapeText}; with {nc} classes in metadata 'names' and {nm} mask prototypes "
                    + $"('{p.Name}' {p.ShapeText}) a YOLO segmentation model needs output0 [1, {4 + nc + nm}, N] (4 box + {nc} classes + {nm} coefficients)";
                return false;
            }
        }
        else
        {
            // No names: take the Ultralytics v8/v11 convention, attributes along the shorter axis, no objectness.
            attributesFirst = d1 <= d2;
            objectness = false;
            long c = attributesFirst ? d1 : d2;
            nc = (int)(c - 4 - nm);
            classSource = signature.NamesProblem is null ? "output shapes (no metadata 'names')" : $"output shapes ({signature.NamesProblem})";
            if (nc < 1)
            {
                reason = $"output '{h.Name}' has shape {h.ShapeText}; with {nm} mask prototypes ('{p.Name}' {p.ShapeText}) {needs} with nc ≥ 1, i.e. more than {4 + nm} attributes";
                return false;
            }
        }

        int anchors = (int)(attributesFirst ? d2 : d1);
        var resolved = new YoloSegLayout(head, proto, attributesFirst, objectness, nc, nm, anchors, mh, mw, input.Width, input.Height);
        resolved.AssertInvariants();
        layout = resolved;
        reason = $"'{h.Name}' {h.ShapeText} = {anchors} candidates x (4 box{(objectness ? " + objectness" : "")} + {nc} classes + {nm} mask coefficients), "
            + $"{(attributesFirst ? "attributes first" : "attributes last")}; '{p.Name}' {p.ShapeText} = {nm} prototypes {mh}x{mw}; classes from {classSource}";
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new YoloSegDecoder((YoloSegLayout)layout, options);

    private static TensorInfo FirstOffending(IReadOnlyList<TensorInfo> outputs, int head, int proto)
    {
        for (int i = 0; i < outputs.Count; i++)
        {
            if (i != head && i != proto)
            {
                return outputs[i];
            }
        }
        // Two outputs of the right ranks cannot get here; one output of either rank is the one to name.
        return outputs[0];
    }
}
