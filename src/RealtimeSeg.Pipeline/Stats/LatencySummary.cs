namespace RealtimeSeg.Pipeline.Stats;

/// <summary>Percentiles of one stage's latency, in milliseconds.</summary>
public readonly record struct LatencySummary(double P50, double P90, double P99, double Max, long Count);
