using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Bench;

/// <summary>(c): the source outruns inference for a while.</summary>
/// <param name="Description">How the source was driven (e.g. realtime at 120 fps).</param>
/// <param name="CaptureToPublishMs">Capture → publish of the published frames.</param>
/// <param name="InferenceP99Ms">The model run's 99th percentile in the same frames.</param>
/// <param name="Growth">Capture → publish p99 of the last third of the run over that of the first third.</param>
/// <param name="FramesCaptured">Frames the source produced.</param>
/// <param name="FramesPublished">Frames published.</param>
/// <param name="FramesDropped">Frames dropped (counted).</param>
/// <param name="AllocBytesPerFrame">Managed bytes the whole process allocated per frame after warm-up (NaN: too short to measure).</param>
public sealed record BenchOverload(string Description, LatencySummary CaptureToPublishMs, double InferenceP99Ms, double Growth,
    long FramesCaptured, long FramesPublished, long FramesDropped, double AllocBytesPerFrame);
