namespace RealtimeSeg.Pipeline.Stats;

/// <summary>
/// The latency figures of a run as of one moment, summarized by the stats sink on its own thread (the only one that may
/// read the histograms while the run lasts), so that a report taken while running — the <c>--stats</c> file rewritten
/// every second — carries them too.
/// </summary>
internal sealed record LatencySnapshot(
    IReadOnlyDictionary<LatencyStage, LatencySummary> Stages,
    LatencySummary[] PerStream,
    LatencySummary Work,
    IReadOnlyList<LatencyWindow> Windows)
{
    public static LatencySnapshot Take(LatencyRecorder latency, int streamCount)
    {
        var stages = new Dictionary<LatencyStage, LatencySummary>();
        foreach (LatencyStage stage in Enum.GetValues<LatencyStage>())
        {
            stages[stage] = latency.Summarize(stage);
        }
        var perStream = new LatencySummary[streamCount];
        for (int i = 0; i < perStream.Length; i++)
        {
            perStream[i] = latency.SummarizeStream(i);
        }
        return new LatencySnapshot(stages, perStream, latency.SummarizeWork(), latency.Windows());
    }
}
