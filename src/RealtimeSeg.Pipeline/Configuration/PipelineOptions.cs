using RealtimeSeg.Capture;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>How frames move through the pipeline (the <c>pipeline:</c> section).</summary>
public sealed record PipelineOptions
{
    /// <summary>realtime: sources run at their own rate and stale frames are dropped; max: as fast as the source can
    /// decode, dropping what inference cannot take; lockstep: nothing is dropped, the source waits (evaluation).</summary>
    public Pacing Pace { get; init; } = Pacing.Realtime;

    /// <summary>Stop after this many captured frames per stream; 0 runs to the end of the source.</summary>
    public long MaxFrames { get; init; }

    /// <summary>
    /// Frames that may wait between capture and inference, per stream. 1 keeps latency lowest: a newer frame evicts an
    /// older one. Range 1 … <see cref="MaxQueueCapacity"/>; each waiting frame holds a frame slot (1280x720 BGR: 2.7 MB).
    /// </summary>
    public int QueueCapacity { get; init; } = 1;

    /// <summary>Upper bound of <see cref="QueueCapacity"/>: 64 frames are two seconds at 30 fps, latency no live consumer wants.</summary>
    public const int MaxQueueCapacity = 64;

    /// <summary>
    /// Frames between inference and publishing at once (≥ 2 so decoding of one frame overlaps inference of the next).
    /// Range 1 … <see cref="MaxInFlightFrames"/>: each holds a full set of model inputs, outputs and masks.
    /// </summary>
    public int InFlightFrames { get; init; } = 2;

    /// <summary>Upper bound of <see cref="InFlightFrames"/>: beyond a few, more frames in flight only add latency and memory.</summary>
    public const int MaxInFlightFrames = 8;

    /// <summary>
    /// Before the first frame is captured, wait up to this long for a subscriber to subscribe, so a run that must be
    /// received whole (evaluation, a recorder started alongside) does not lose its first frames to ZeroMQ's slow joiner.
    /// 0 (default) starts at once.
    /// </summary>
    public TimeSpan WaitForSubscriber { get; init; }

    /// <summary>Write every published frame's tracked things to this MOTChallenge tracker file (for <c>eval mot</c>).</summary>
    public string? DumpMot { get; init; }

    /// <summary>Write every published frame as COCO panoptic (<c>DIR/panoptic.json</c> + <c>DIR/panoptic/NNNNNN.png</c>) for <c>eval panoptic</c>/<c>stq</c>.</summary>
    public string? DumpPanoptic { get; init; }

    /// <summary>
    /// Length of the windows in which capture → publish latency is also summarized (<c>latency_windows</c> in
    /// <c>--stats</c>), to show whether latency grows over a run. Default 10 s; 0 keeps no windows.
    /// </summary>
    public TimeSpan LatencyWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With several models (<c>models:</c>): run them side by side on each frame, the second and later ones on their
    /// own threads (true, default), or one after the other on the inference thread (false) — better when the cores
    /// are already busy, since two models then only take turns on them (docs/models.md, "Multi-model fusion").
    /// </summary>
    public bool ConcurrentModels { get; init; } = true;

    public void Validate()
    {
        if (LatencyWindow < TimeSpan.Zero)
        {
            throw new ArgumentException($"latency_window must be ≥ 0 (got {LatencyWindow})", nameof(LatencyWindow));
        }
        if (MaxFrames < 0)
        {
            throw new ArgumentException($"max_frames must be ≥ 0 (got {MaxFrames})", nameof(MaxFrames));
        }
        if (QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            throw new ArgumentException($"queue_capacity must be in 1…{MaxQueueCapacity} (got {QueueCapacity})", nameof(QueueCapacity));
        }
        if (WaitForSubscriber < TimeSpan.Zero)
        {
            throw new ArgumentException($"wait_for_subscriber must be ≥ 0 (got {WaitForSubscriber})", nameof(WaitForSubscriber));
        }
        if (InFlightFrames is < 1 or > MaxInFlightFrames)
        {
            throw new ArgumentException($"in_flight_frames must be in 1…{MaxInFlightFrames} (got {InFlightFrames})", nameof(InFlightFrames));
        }
    }
}
