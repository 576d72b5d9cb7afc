using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// The per-frame state between inference and publishing: the model's I/O buffers for one in-flight frame, the
/// decoded detections and the tracker's answer. A fixed number exist (<c>pipeline.in_flight_frames</c>); the
/// inference stage fills one while the post-processing stage decodes another, so the two overlap.
/// Owned by one stage at a time, handed over through a channel like a frame lease.
/// </summary>
internal sealed class WorkItem : IDisposable
{
    public WorkItem(SegmentationModel model)
    {
        Slot = model.CreateSlot();
        Detections = new DetectionSet(Math.Max(1, model.MaxDetections), model.MaskArenaFloats);
        Tracks = new TrackInfo[Math.Max(1, model.MaxDetections)];
        Semantic = model.CreateSemanticMap();
    }

    public InferenceSlot Slot { get; }
    public DetectionSet Detections { get; }
    public TrackInfo[] Tracks { get; }

    /// <summary>The model's per-pixel classes for this frame; null when the model has no semantic output.</summary>
    public SemanticMap? Semantic { get; }
    public FrameMetadata Metadata { get; set; }
    public int StreamIndex { get; set; }
    public long[] StageNs { get; } = new long[PipelineStages.Count];

    public void Stamp(PipelineStage stage) => StageNs[(int)stage] = MonotonicClock.NowNs();

    public void Dispose() => Slot.Dispose();
}
