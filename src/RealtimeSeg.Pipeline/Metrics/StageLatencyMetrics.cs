using Prometheus;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Metrics;

/// <summary>
/// <c>rseg_stage_latency_seconds{stream,stage}</c>: the same stage durations the stats histograms record
/// (<see cref="LatencyStageSpans"/>), observed by the stats sink on its own loop from each published frame's stamps —
/// no second measurement on the hot path. Children are created up front, so observing allocates nothing.
/// </summary>
internal sealed class StageLatencyMetrics
{
    /// <summary>Bucket bounds in seconds: 1 ms to 500 ms in 1-2.5-5 steps (a model run, a queue wait, capture → publish); +Inf above.</summary>
    public static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];

    private readonly Histogram.Child[][] _byStream;

    public StageLatencyMetrics(MetricFactory factory, IReadOnlyList<string> streams)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(streams);
        Histogram histogram = factory.CreateHistogram("rseg_stage_latency_seconds",
            "Time each published frame spent between two pipeline stamps (stage: capture_to_publish, queue_wait, preprocess, inference, postprocess, tracking, compose, publish).",
            new HistogramConfiguration { LabelNames = ["stream", "stage"], Buckets = Buckets, ExemplarBehavior = ExemplarBehavior.NoExemplars() });
        LatencyStage[] stages = Enum.GetValues<LatencyStage>();
        _byStream = new Histogram.Child[streams.Count][];
        for (int s = 0; s < streams.Count; s++)
        {
            _byStream[s] = new Histogram.Child[stages.Length];
            foreach (LatencyStage stage in stages)
            {
                _byStream[s][(int)stage] = histogram.WithLabels(streams[s], LatencyStageNames.Key(stage));
            }
        }
    }

    /// <summary>Observes one published frame's stage durations (the stats sink's loop calls this once per frame).</summary>
    public void Observe(long[] stageNs, int streamIndex)
    {
        if ((uint)streamIndex >= (uint)_byStream.Length)
        {
            return;
        }
        Histogram.Child[] stages = _byStream[streamIndex];
        for (int stage = 0; stage < stages.Length; stage++)
        {
            long ns = LatencyStageSpans.Duration(stageNs, (LatencyStage)stage);
            if (ns >= 0)
            {
                stages[stage].Observe(ns / 1e9);
            }
        }
    }
}
