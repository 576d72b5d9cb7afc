namespace RealtimeSeg.Pipeline.Bench;

/// <summary>Per-frame series, in ms, against seconds since the phase began: (b) pipeline work, (c) capture → publish, inference and queue wait.</summary>
public sealed record BenchSeries(double[] OverheadSeconds, double[] OverheadMs, double[] OverloadSeconds, double[] CaptureToPublishMs, double[] InferenceMs, double[] QueueWaitMs);
