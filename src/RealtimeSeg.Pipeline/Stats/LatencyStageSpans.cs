using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Stats;

/// <summary>
/// Which two stage stamps each <see cref="LatencyStage"/> is measured between: the one table the stats histograms and
/// the Prometheus histograms both read, so they always measure the same thing.
/// </summary>
internal static class LatencyStageSpans
{
    /// <summary>Indexed by <see cref="LatencyStage"/>.</summary>
    public static readonly (PipelineStage From, PipelineStage To)[] All = Build();

    /// <summary>Nanoseconds between the stage's two stamps, or -1 when either is missing; clamped at 0.</summary>
    public static long Duration(long[] stageNs, LatencyStage stage)
    {
        (PipelineStage from, PipelineStage to) = All[(int)stage];
        long a = stageNs[(int)from], b = stageNs[(int)to];
        return a == 0 || b == 0 ? -1 : Math.Max(0, b - a);
    }

    private static (PipelineStage, PipelineStage)[] Build()
    {
        var spans = new (PipelineStage, PipelineStage)[Enum.GetValues<LatencyStage>().Length];
        spans[(int)LatencyStage.CaptureToPublish] = (PipelineStage.Captured, PipelineStage.Published);
        spans[(int)LatencyStage.QueueWait] = (PipelineStage.Captured, PipelineStage.Dequeued);
        spans[(int)LatencyStage.Preprocess] = (PipelineStage.Dequeued, PipelineStage.Preprocessed);
        spans[(int)LatencyStage.Inference] = (PipelineStage.Preprocessed, PipelineStage.Inferred);
        spans[(int)LatencyStage.Postprocess] = (PipelineStage.Inferred, PipelineStage.Decoded);
        spans[(int)LatencyStage.Tracking] = (PipelineStage.Decoded, PipelineStage.Tracked);
        spans[(int)LatencyStage.Compose] = (PipelineStage.Tracked, PipelineStage.Composed);
        spans[(int)LatencyStage.Publish] = (PipelineStage.Composed, PipelineStage.Published);
        return spans;
    }
}
