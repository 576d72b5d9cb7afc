using HdrHistogram;
using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Stats;

/// <summary>
/// Per-stage latency histograms (HdrHistogram, ns resolution to 3 significant digits, up to 10 minutes).
/// Recorded from the publisher thread only, from a published frame's stage stamps; summarized at the end or, for a
/// live status, while recording goes on: HdrHistogram's percentile walk throws if the counts change under it, so both
/// sides take one lock (uncontended on the recording side except during a status read). Recording allocates nothing.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long MaxNs = 600_000_000_000L;
    private static readonly int StageCount = Enum.GetValues<LatencyStage>().Length;
    private readonly LongHistogram[] _histograms;
    private readonly Lock _lock = new();

    public LatencyRecorder()
    {
        _histograms = new LongHistogram[StageCount];
        for (int i = 0; i < _histograms.Length; i++)
        {
            _histograms[i] = new LongHistogram(MaxNs, 3);
        }
    }

    public void Record(long[] stageNs)
    {
        using Lock.Scope scope = _lock.EnterScope();
        Record(LatencyStage.CaptureToPublish, stageNs, PipelineStage.Captured, PipelineStage.Published);
        Record(LatencyStage.QueueWait, stageNs, PipelineStage.Captured, PipelineStage.Dequeued);
        Record(LatencyStage.Preprocess, stageNs, PipelineStage.Dequeued, PipelineStage.Preprocessed);
        Record(LatencyStage.Inference, stageNs, PipelineStage.Preprocessed, PipelineStage.Inferred);
        Record(LatencyStage.Postprocess, stageNs, PipelineStage.Inferred, PipelineStage.Decoded);
        Record(LatencyStage.Tracking, stageNs, PipelineStage.Decoded, PipelineStage.Tracked);
        Record(LatencyStage.Compose, stageNs, PipelineStage.Tracked, PipelineStage.Composed);
        Record(LatencyStage.Publish, stageNs, PipelineStage.Composed, PipelineStage.Published);
    }

    private void Record(LatencyStage stage, long[] stageNs, PipelineStage from, PipelineStage to)
    {
        long a = stageNs[(int)from], b = stageNs[(int)to];
        if (a == 0 || b == 0)
        {
            return;
        }
        _histograms[(int)stage].RecordValue(Math.Clamp(b - a, 0, MaxNs));
    }

    public LatencySummary Summarize(LatencyStage stage)
    {
        using Lock.Scope scope = _lock.EnterScope();
        LongHistogram h = _histograms[(int)stage];
        long count = h.TotalCount;
        if (count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(
            Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)), Ms(h.GetMaxValue()), count);

        static double Ms(long ns) => Math.Round(ns / 1_000_000.0, 3);
    }
}
