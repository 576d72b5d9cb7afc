using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.OnnxRuntime.Tensors;
using RealtimeSeg.Inference.Metadata;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises a per-pixel class output and describes it as a <see cref="SemanticLayout"/>: an integer class map
/// [1, h, w] / [1, 1, h, w] (uint8, int8, int32, int64; class count from metadata), or float scores — logits or
/// probabilities, the arg-max is the same — as [1, C, h, w] (NCHW, PyTorch/MMSegmentation) or [1, h, w, C]
/// (NHWC, TensorFlow/TFLite). Shared by the semantic and panoptic families.
/// </summary>
internal static class SemanticOutputMatcher
{
    public const int MaxClasses = 255;

    public static bool TryMatch(TensorInfo t, int index, RealtimeSegMetadata meta, InputSpec input, [NotNullWhen(true)] out SemanticLayout? layout, out string reason)
    {
        layout = null;
        TensorElementType? type = NativeTensor.FromName(t.ElementType);
        for (int d = 0; d < t.Rank; d++)
        {
            if (t.Shape[d] <= 0)
            {
                reason = $"semantic output '{t.Name}' has dynamic shape {t.ShapeText}; export with static shapes";
                return false;
            }
        }
        int declared = meta.SemanticClasses.IsDefaultOrEmpty ? 0 : meta.SemanticClasses.Length;
        bool indices = type is TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Int32 or TensorElementType.Int64;
        int h, w, classes;
        TensorLayout order = TensorLayout.Nchw;
        if (indices && (t.Rank == 3 || (t.Rank == 4 && t.Shape[1] == 1)))
        {
            (h, w) = ((int)t.Shape[t.Rank - 2], (int)t.Shape[t.Rank - 1]);
            if (declared == 0)
            {
                reason = $"semantic output '{t.Name}' {t.ShapeText} holds class indices, but metadata '{RealtimeSegMetadata.SemanticClassesKey}' does not say how many classes there are";
                return false;
            }
            classes = declared;
        }
        else if (type == TensorElementType.Float && t.Rank == 4)
        {
            if (!TryPickScoreLayout(t, input, declared, out order, out classes, out h, out w, out string? why))
            {
                reason = why;
                return false;
            }
        }
        else
        {
            reason = $"semantic output '{t.Name}' is {t.ElementType} {t.ShapeText}; expected class indices [1, h, w] (uint8, int8, int32, int64) or float scores [1, C, h, w] / [1, h, w, C]";
            return false;
        }
        if (t.Shape[0] != 1 || h > input.Height || w > input.Width || classes is < 1 or > MaxClasses)
        {
            reason = $"semantic output '{t.Name}' has shape {t.ShapeText}; expected batch 1, at most the {input.Height}x{input.Width} input, 1…{MaxClasses} classes";
            return false;
        }
        if (declared != 0 && declared != classes)
        {
            reason = $"semantic output '{t.Name}' {t.ShapeText} scores {classes} classes but metadata '{RealtimeSegMetadata.SemanticClassesKey}' lists {declared}";
            return false;
        }
        layout = new SemanticLayout(index, indices ? SemanticEncoding.ClassIndex : SemanticEncoding.Scores, order, type!.Value, classes, w, h, input.Width, input.Height);
        layout.AssertInvariants();
        reason = $"'{t.Name}' {t.ShapeText} = {(indices ? "class indices" : $"class scores ({(order == TensorLayout.Nchw ? "NCHW" : "NHWC")})")} of {classes} classes on a {w}x{h} map";
        return true;
    }

    /// <summary>
    /// [1, a, b, c] is NCHW (C = a) or NHWC (C = c). A reading is possible when its map fits in the input and its class
    /// count in 1…255 (and equals the metadata's, when given); when both are, the one whose map has the input's aspect
    /// ratio wins, then the input's own layout.
    /// </summary>
    internal static bool TryPickScoreLayout(TensorInfo t, InputSpec input, int declared, out TensorLayout layout, out int classes, out int h, out int w, [NotNullWhen(false)] out string? reason)
    {
        long a = t.Shape[1], b = t.Shape[2], c = t.Shape[3];
        bool nchw = Fits(a, b, c), nhwc = Fits(c, a, b);
        if (nchw && nhwc)
        {
            double want = (double)input.Height / input.Width;
            double errNchw = Math.Abs(Math.Log((double)b / c / want)), errNhwc = Math.Abs(Math.Log((double)a / b / want));
            if (Math.Abs(errNchw - errNhwc) > 1e-9)
            {
                (nchw, nhwc) = (errNchw < errNhwc, errNhwc < errNchw);
            }
            else
            {
                (nchw, nhwc) = (input.Layout == TensorLayout.Nchw, input.Layout == TensorLayout.Nhwc);
            }
        }
        if (nchw)
        {
            (layout, classes, h, w, reason) = (TensorLayout.Nchw, (int)a, (int)b, (int)c, null);
            return true;
        }
        if (nhwc)
        {
            (layout, classes, h, w, reason) = (TensorLayout.Nhwc, (int)c, (int)a, (int)b, null);
            return true;
        }
        (layout, classes, h, w) = (TensorLayout.Nchw, 0, 0, 0);
        reason = $"semantic output '{t.Name}' has shape {t.ShapeText}; neither [1, C, h, w] nor [1, h, w, C] fits a {input.Height}x{input.Width} input with 1…{MaxClasses} classes"
            + (declared > 0 ? $" ({declared} in metadata)" : "");
        return false;

        bool Fits(long cls, long hh, long ww)
            => cls is >= 1 and <= MaxClasses && (declared == 0 || cls == declared) && hh <= input.Height && ww <= input.Width && hh > 0 && ww > 0;
    }
}
