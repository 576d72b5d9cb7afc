namespace RealtimeSeg.Pipeline.Stats;

/// <summary>
/// Capture → publish latency of the frames published in one window of the run (<c>latency_windows</c> in
/// <c>--stats</c>), so growth over time is visible: a pipeline that queues shows rising p99 from window to window.
/// </summary>
/// <param name="StartSeconds">Window start, seconds since the pipeline started.</param>
/// <param name="EndSeconds">Window end (the last window ends at the last publish).</param>
/// <param name="Latency">Capture → publish of the frames published in the window.</param>
/// <param name="Inference">The model run of the same frames: when it rises with <paramref name="Latency"/>, the machine got slower, not the queues longer.</param>
public readonly record struct LatencyWindow(double StartSeconds, double EndSeconds, LatencySummary Latency, LatencySummary Inference);
