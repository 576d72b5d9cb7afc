namespace RealtimeSeg.Inference.Decoding;

/// <summary>How a semantic output holds its classes.</summary>
internal enum SemanticEncoding
{
    /// <summary>An integer class index per pixel ([1, H, W] or [1, 1, H, W]; uint8, int8, int32 or int64), e.g. an exported arg-max.</summary>
    ClassIndex = 0,

    /// <summary>A float score per class per pixel (logits or probabilities: the arg-max is the same), [1, C, H, W] or [1, H, W, C].</summary>
    Scores = 1,
}
