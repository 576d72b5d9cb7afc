namespace RealtimeSeg.Core;

/// <summary>One instance found by a model in one frame, in image pixel coordinates.</summary>
/// <param name="Box">Box in source-image pixels.</param>
/// <param name="ClassId">The model's class index.</param>
/// <param name="Score">Confidence in [0, 1].</param>
/// <param name="MaskIndex">Index into <see cref="DetectionSet.Masks"/>, or -1 when the model gives no mask (the box is the mask).</param>
public readonly record struct Detection(BoundingBox Box, int ClassId, float Score, int MaskIndex)
{
    public bool HasMask => MaskIndex >= 0;
}
