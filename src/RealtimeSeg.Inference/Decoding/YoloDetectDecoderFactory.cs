using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises the Ultralytics YOLO detection family (v8/v11 <c>task=detect</c> exports): one head
/// [1, 4+nc, N] of raw candidates (cx, cy, w, h in input pixels, then nc sigmoid class scores), no NMS, no masks.
/// It is the segmentation head without coefficients, so it is decoded by <see cref="YoloSegDecoder"/> with nm = 0;
/// instances get no mask and become box masks downstream. Without metadata the head must be attributes-first with
/// N = the stride 8/16/32 candidate count of the input, which tells it apart from YOLOX's [1, N, 5+nc].
/// </summary>
internal sealed class YoloDetectDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "yolo-detect";

    public string Name => DecoderName;

    public InputConvention? Convention => InputConvention.Ultralytics;

    public bool RunsNms => true;

    public string Expects => "one output [1, 4+nc, N] (N candidates for strides 8, 16, 32)";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        string needs = $"a YOLO detection model needs {Expects}";
        if (signature.Metadata.TryGetValue("end2end", out string? e2e) && e2e.Equals("True", StringComparison.OrdinalIgnoreCase))
        {
            reason = "metadata end2end=True: NMS is built into this export (see yolo-e2e)";
            return false;
        }
        if (signature.TaskName is { } task && !task.Equals("detect", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"metadata task='{task}', not 'detect'; {needs}";
            return false;
        }
        if (signature.Outputs.Count != 1)
        {
            reason = $"the model has {signature.Outputs.Count} outputs ({string.Join(", ", signature.Outputs)}); {needs}";
            return false;
        }
        TensorInfo h = signature.Outputs[0];
        if (!h.IsFloat32 || h.Rank != 3 || h.Shape[0] != 1 || h.Shape[1] <= 0 || h.Shape[2] <= 0)
        {
            reason = $"output '{h.Name}' is {h.ElementType} {h.ShapeText}; {needs} as float32 with static shape";
            return false;
        }
        long d1 = h.Shape[1], d2 = h.Shape[2];
        int nc;
        bool attributesFirst;
        string classSource;
        if (signature.ClassNames is { } names && signature.IsUltralytics)
        {
            nc = names.Count;
            if (d1 == 4 + nc) { attributesFirst = true; }
            else if (d2 == 4 + nc) { attributesFirst = false; }
            else
            {
                reason = $"output '{h.Name}' has shape {h.ShapeText}; with {nc} classes in metadata 'names' a YOLO detection model needs [1, {4 + nc}, N]";
                return false;
            }
            classSource = "metadata 'names'";
        }
        else
        {
            int anchors = YoloxLayout.AnchorsFor(input.Width, input.Height, YoloxLayout.DefaultStrides);
            if (d2 != anchors || d1 < 5)
            {
                reason = $"output '{h.Name}' has shape {h.ShapeText}; without Ultralytics metadata {needs} = [1, 4+nc, {anchors}] for a {input.Height}x{input.Width} input";
                return false;
            }
            (nc, attributesFirst) = ((int)d1 - 4, true);
            classSource = "output shapes (no Ultralytics metadata)";
        }
        int n = (int)(attributesFirst ? d2 : d1);
        var resolved = new YoloSegLayout(0, -1, attributesFirst, false, nc, 0, n, 0, 0, input.Width, input.Height);
        resolved.AssertInvariants();
        layout = resolved;
        reason = $"'{h.Name}' {h.ShapeText} = {n} candidates x (4 box + {nc} classes), {(attributesFirst ? "attributes first" : "attributes last")}, no masks; classes from {classSource}";
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new YoloSegDecoder((YoloSegLayout)layout, options, DecoderName);
}
