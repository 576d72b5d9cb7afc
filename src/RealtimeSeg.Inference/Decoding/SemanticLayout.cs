using System.Diagnostics;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Where a model's per-pixel classes are and how to read them: output <see cref="Output"/> holds a
/// <see cref="Width"/>×<see cref="Height"/> map over the (letterboxed) input, as class indices or per-class scores in
/// <see cref="Layout"/> order. The map covers the whole input, so map cell (u, v) is the input region
/// [u·W/w, (u+1)·W/w) × [v·H/h, (v+1)·H/h).
/// </summary>
internal sealed record SemanticLayout(
    int Output,
    SemanticEncoding Encoding,
    TensorLayout Layout,
    TensorElementType ElementType,
    int ClassCount,
    int Width,
    int Height,
    int InputWidth,
    int InputHeight)
{
    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(Output >= 0 && ClassCount is > 0 and <= 255, "at most 255 classes: SemanticMap keeps a byte per cell and 255 marks no class");
        Debug.Assert(Width > 0 && Height > 0 && Width <= InputWidth && Height <= InputHeight);
        Debug.Assert(Encoding == SemanticEncoding.Scores ? ElementType == TensorElementType.Float : ElementType != TensorElementType.Float);
    }
}
