using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// The per-frame state from capture to composition: each model's I/O buffers for one in-flight frame, the decoded
/// detections and the tracker's answer. A fixed number exist (<c>pipeline.in_flight_frames</c>), so inference of one
/// frame overlaps preprocessing, tracking and composition of others. Owned by one stage at a time, handed on through
/// a channel like a frame lease; the compose stage gives it back to the inference stage's free list.
/// </summary>
internal sealed class WorkItem : IDisposable
{
    private Core.Sinks.FrameWork _work;

    /// <param name="models">Whose inputs and outputs the item holds.</param>
    /// <param name="images">With images on or pixels for the sinks (<see cref="PicturePlan.Any"/>): the scaled frame, and its JPEG, travel with the item.</param>
    /// <param name="grey">With camera-motion compensation on: each frame is also shrunk to grey (<see cref="Grey"/>).</param>
    public WorkItem(ModelSet models, bool images = false, bool grey = false)
    {
        Grey = grey ? new Motion.GreyFrame() : null;
        if (images)
        {
            Image = new Inference.Preprocessing.ResizeBuffer();
            Jpeg = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        }
        int n = models.Models.Length;
        Slots = new InferenceSlot[n];
        ModelDetections = new DetectionSet[n];
        Detections = new DetectionSet(Math.Max(1, models.MaxDetections), models.MaskArenaFloats);
        for (int i = 0; i < n; i++)
        {
            SegmentationModel m = models.Models[i];
            Slots[i] = m.CreateSlot();
            // One model decodes straight into the merged set; several decode apart and are merged (class ids offset).
            ModelDetections[i] = n == 1 ? Detections : new DetectionSet(Math.Max(1, m.MaxDetections), m.MaskArenaFloats);
        }
        Tracks = new TrackInfo[Math.Max(1, models.MaxDetections)];
        Semantic = models.SemanticModel >= 0 ? models.Models[models.SemanticModel].CreateSemanticMap() : null;
    }

    /// <summary>Per model (config order), its slot for this frame.</summary>
    public InferenceSlot[] Slots { get; }

    /// <summary>The first model's slot (the only one of a single-model pipeline).</summary>
    public InferenceSlot Slot => Slots[0];

    /// <summary>Per model, what it decoded (for one model: <see cref="Detections"/> itself).</summary>
    public DetectionSet[] ModelDetections { get; }

    /// <summary>Every model's detections, class ids in the combined class space.</summary>
    public DetectionSet Detections { get; }
    public TrackInfo[] Tracks { get; }

    /// <summary>The stuff model's per-pixel classes for this frame; null when no model has a semantic output.</summary>
    public SemanticMap? Semantic { get; }
    public FrameMetadata Metadata { get; set; }
    public int StreamIndex { get; set; }
    public long[] StageNs { get; } = new long[PipelineStages.Count];

    /// <summary>The frame scaled for its JPEG and the sinks (<see cref="PicturePlan"/>); valid for this frame when <see cref="HasImage"/>.</summary>
    public Inference.Preprocessing.ResizeBuffer? Image { get; }

    /// <summary>The frame shrunk to grey for the camera-motion estimate (filled on the inference thread); null when that is off.</summary>
    public Motion.GreyFrame? Grey { get; }

    /// <summary>The JPEG of <see cref="Image"/>, written by the image stage.</summary>
    public System.Buffers.ArrayBufferWriter<byte>? Jpeg { get; }

    /// <summary>This frame was scaled into <see cref="Image"/> (<see cref="PicturePlan.ScaleDue"/>).</summary>
    public bool HasImage { get; set; }

    /// <summary>This frame is due for a JPEG (images on, every N-th: <see cref="Configuration.ImageOptions.Every"/>).</summary>
    public bool JpegDue { get; set; }

    /// <summary>True when the item carries no frame but the end of stream <see cref="StreamIndex"/> (<see cref="EndReason"/>), in order after its last frame.</summary>
    public bool IsEndOfStream { get; private set; }

    public StreamEndReason EndReason { get; private set; }

    /// <summary>Makes this (free) item the end of <paramref name="stream"/>: it passes the stages without inference.</summary>
    public void MarkEndOfStream(int stream, StreamEndReason reason)
    {
        IsEndOfStream = true;
        HasImage = false;
        JpegDue = false;
        EndReason = reason;
        StreamIndex = stream;
        _work = default;
        Array.Clear(StageNs);
        if (Grey is not null)
        {
            Grey.Filled = false;
        }
    }

    /// <summary>Makes this item carry a frame again (the inference stage, for every frame).</summary>
    public void MarkFrame() => IsEndOfStream = false;

    /// <summary>Pipeline work on this frame so far, outside the model run, by part (see <see cref="Core.Sinks.ComposedFrame.Work"/>).</summary>
    public ref Core.Sinks.FrameWork Work => ref _work;

    public void Stamp(PipelineStage stage) => StageNs[(int)stage] = MonotonicClock.NowNs();

    public void Dispose()
    {
        Image?.Dispose();
        Grey?.Dispose();
        foreach (InferenceSlot s in Slots)
        {
            s.Dispose();
        }
    }
}
