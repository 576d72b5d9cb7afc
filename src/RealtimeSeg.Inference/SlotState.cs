namespace RealtimeSeg.Inference;

/// <summary>Where an <see cref="InferenceSlot"/> is in its cycle; guards against decoding outputs of an older frame.</summary>
internal enum SlotState
{
    Empty = 0,
    Preprocessed = 1,
    Inferred = 2,
}
