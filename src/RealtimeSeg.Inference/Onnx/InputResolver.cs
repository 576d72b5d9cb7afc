using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.Inference.Metadata;

namespace RealtimeSeg.Inference.Onnx;

/// <summary>
/// Works out the <see cref="InputSpec"/> of a model: layout and size from the input shape (or metadata
/// <c>imgsz</c> for dynamic sizes); colour order and normalisation from the options, else the model's Ultralytics
/// metadata, else the convention of the decoder family its outputs fit, else RGB /255 (stated as assumed).
/// </summary>
internal static class InputResolver
{
    public static bool TryResolve(ModelSignature signature, ModelOptions? options, [NotNullWhen(true)] out InputSpec? spec, [NotNullWhen(false)] out string? problem)
        => TryResolve(signature, options, null, out spec, out problem, out _);

    /// <param name="family">The convention of the decoder family chosen for the model, once known.</param>
    /// <param name="convention">Where colour order and normalisation came from, for <c>models inspect</c>.</param>
    public static bool TryResolve(
        ModelSignature signature,
        ModelOptions? options,
        InputConvention? family,
        [NotNullWhen(true)] out InputSpec? spec,
        [NotNullWhen(false)] out string? problem,
        out string convention)
    {
        spec = null;
        convention = "";
        if (signature.Inputs.Count != 1)
        {
            problem = $"the model has {signature.Inputs.Count} inputs ({string.Join(", ", signature.Inputs)}); only models with one image input are supported";
            return false;
        }
        TensorInfo input = signature.Inputs[0];
        const string Needs = "an image input needs [1,3,H,W] (NCHW), [1,H,W,3] (NHWC) or [3,H,W] (one unbatched image)";
        if (!input.IsFloat32)
        {
            problem = $"input '{input.Name}' is {input.ElementType}; only float32 image inputs are supported";
            return false;
        }
        bool batched = input.Rank != 3;
        if (!batched && input.Shape[0] == 3)
        {
            // [3, H, W]: one unbatched image, as torchvision's detection models are exported.
            input = input with { Shape = [1, .. input.Shape], SymbolicShape = input.SymbolicShape.Count == 3 ? ["", .. input.SymbolicShape] : input.SymbolicShape };
        }
        else if (input.Rank != 4)
        {
            problem = $"input '{input.Name}' has shape {input.ShapeText}; {Needs}";
            return false;
        }
        if (input.Shape[0] > 1)
        {
            problem = $"input '{input.Name}' has shape {input.ShapeText} (batch {input.Shape[0]}); {Needs} with batch 1";
            return false;
        }
        TensorLayout layout;
        long h, w;
        if (input.Shape[1] == 3)
        {
            (layout, h, w) = (TensorLayout.Nchw, input.Shape[2], input.Shape[3]);
        }
        else if (input.Shape[3] == 3)
        {
            (layout, h, w) = (TensorLayout.Nhwc, input.Shape[1], input.Shape[2]);
        }
        else
        {
            problem = $"input '{input.Name}' has shape {input.ShapeText}; {Needs}";
            return false;
        }
        if (h <= 0 || w <= 0)
        {
            if (!signature.Metadata.TryGetValue("imgsz", out string? imgsz) || !PythonLiteral.TryParseImageSize(imgsz, out int mh, out int mw))
            {
                problem = $"input '{input.Name}' has dynamic size {input.ShapeText} and no metadata 'imgsz' says which to use; export with a fixed image size";
                return false;
            }
            h = h <= 0 ? mh : h;
            w = w <= 0 ? mw : w;
        }
        if (h > 16384 || w > 16384)
        {
            problem = $"input '{input.Name}' has shape {input.ShapeText}; {h}x{w} is not a plausible image size";
            return false;
        }
        InputConvention basis;
        RealtimeSegMetadata own = signature.Extensions;
        if (own.ColorOrder is not null || !own.Mean.IsDefaultOrEmpty || !own.Std.IsDefaultOrEmpty)
        {
            (basis, convention) = (InputConvention.Ultralytics, $"from the model's metadata '{RealtimeSegMetadata.InputKey}'");
        }
        else if (signature.IsUltralytics)
        {
            (basis, convention) = (InputConvention.Ultralytics, "Ultralytics convention, recognised from the model's metadata");
        }
        else if (family is not null)
        {
            (basis, convention) = (family, $"{family.Source}, from the decoder family its outputs fit");
        }
        else
        {
            (basis, convention) = (InputConvention.Ultralytics,
                "assumed: the model's metadata does not say; set color order, mean and std in the model options if it expects otherwise");
        }
        if (options is { ColorOrder: not null } or { Mean: not null } or { Std: not null })
        {
            convention = "from the model options where set, otherwise " + convention;
        }
        ColorOrder order = options?.ColorOrder ?? own.ColorOrder ?? basis.ColorOrder;
        IReadOnlyList<float> mean = options?.Mean ?? (own.Mean.IsDefaultOrEmpty ? [basis.Mean, basis.Mean, basis.Mean] : own.Mean);
        IReadOnlyList<float> std = options?.Std ?? (own.Std.IsDefaultOrEmpty ? [basis.Std, basis.Std, basis.Std] : own.Std);
        spec = new InputSpec(input.Name, layout, (int)w, (int)h, order, mean, std, batched: batched, resize: options?.Resize ?? ResizeMode.Letterbox);
        problem = null;
        return true;
    }
}
