namespace RealtimeSeg.Core;

/// <summary>
/// Points in a frame's life at which the pipeline stamps monotonic time. The wire carries one timestamp per
/// value, in this order, so the numbering is part of the protocol: append only.
/// </summary>
public enum PipelineStage
{
    Captured = 0,
    Dequeued = 1,
    Preprocessed = 2,
    Inferred = 3,
    Decoded = 4,
    Tracked = 5,
    Composed = 6,
    Published = 7,
}

public static class PipelineStages
{
    public const int Count = 8;
}
