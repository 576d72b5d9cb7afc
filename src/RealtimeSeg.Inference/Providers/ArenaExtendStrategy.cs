namespace RealtimeSeg.Inference.Providers;

/// <summary>How ONNX Runtime's CUDA memory arena grows (its <c>arena_extend_strategy</c>).</summary>
public enum ArenaExtendStrategy
{
    NextPowerOfTwo = 0,
    SameAsRequested = 1,
}
