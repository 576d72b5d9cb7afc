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
    /// Sequence number of the first frame to process, per stream: earlier frames of a recording are read past (not
    /// delivered) and sequence numbers keep the source's numbering, so <c>max_frames</c> is then the end (exclusive).
    /// A segment of a recording (<c>fleet</c> jobs) runs as <c>first_frame</c> … <c>max_frames</c>. Default 0.
    /// Not for <c>drive:</c> sources: they seek with <c>playback.start</c>/<c>end</c>.
    /// </summary>
    public long FirstFrame { get; init; }

    /// <summary>
    /// Frames that may wait between capture and inference, per stream. 1 keeps latency lowest: a newer frame evicts an
    /// older one. Range 1 … <see cref="MaxQueueCapacity"/>; each waiting frame holds a frame slot (1280x720 BGR: 2.7 MB).
    /// </summary>
    public int QueueCapacity { get; init; } = 1;

    /// <summary>Upper bound of <see cref="QueueCapacity"/>: 64 frames are two seconds at 30 fps, latency no live consumer wants.</summary>
    public const int MaxQueueCapacity = 64;

    /// <summary>
    /// Frames between capture and composition at once, each with its own model input/output buffers (and masks): one
    /// being preprocessed (ahead mode), one in inference, one being tracked, one being composed. Default 4; range
    /// 2 … <see cref="MaxInFlightFrames"/>.
    /// </summary>
    public int InFlightFrames { get; init; } = 4;

    /// <summary>
    /// When frames are preprocessed: <c>ahead</c> on a thread of their own, one frame ahead of inference (the letterbox
    /// overlaps the model run where a core is free for it, but a frame waits preprocessed for one inference);
    /// <c>just_in_time</c> on the inference thread right before the run (the freshest frame, the lowest latency);
    /// <c>auto</c> (default): ahead in lockstep (every frame is processed, so throughput is what counts), just in time
    /// otherwise (a live source outruns the model, so freshness is). Measured on the 2-core reference machine with the
    /// bundled model in lockstep, three runs each on a quiet machine (docs/benchmarks.md): ahead kept 0.949–0.957 of the
    /// bare <c>Run</c> loop, just in time 0.927–0.936 — just in time runs the letterbox on the inference thread between
    /// two runs, ahead beside them on the core left free (<c>model.intra_op_threads</c>).
    /// </summary>
    public PreprocessTiming Preprocess { get; init; } = PreprocessTiming.Auto;

    /// <summary>
    /// With no frame from any stream this long after start (every source unreachable, say), the run stops with exit 3
    /// naming each source and why it failed. Streams that come up later are fine as long as one came up. Default 30 s;
    /// 0 waits forever.
    /// </summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a stop (Ctrl-C, SIGTERM, max_frames), how long frames already captured may take to flow through to the
    /// sinks before the sinks are stopped anyway. Default 2 s (a stop then takes at most about this plus one inference).
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

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

    /// <summary>
    /// Write every detection each stream's tracker received as MOTChallenge detection rows (<c>--dump-detections</c>), for
    /// replaying a model's detections through <c>realtimeseg track</c>; several streams write one file each (docs/tracking.md).
    /// </summary>
    public string? DumpDetections { get; init; }

    /// <summary>
    /// Record the run into this MCAP file (<c>--record</c>; docs/recording.md): the wire messages replay and <c>eval</c>
    /// read, and Foxglove channels (camera image, colourised map, boxes). Turns images on.
    /// </summary>
    public string? Record { get; init; }

    /// <summary>
    /// How long a recording's chunk may stay open: each closed chunk is on disk and readable, so after a <c>kill -9</c>
    /// the file holds everything up to about this long before it. Default 1 s (0.05 … 60 s); shorter costs a little
    /// compression ratio.
    /// </summary>
    public TimeSpan RecordChunkDuration { get; init; } = TimeSpan.FromSeconds(1);

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
        if (FirstFrame < 0 || (FirstFrame > 0 && MaxFrames > 0 && MaxFrames <= FirstFrame))
        {
            throw new ArgumentException($"first_frame must be ≥ 0 and below max_frames when both are set (got first_frame {FirstFrame}, max_frames {MaxFrames})", nameof(FirstFrame));
        }
        if (QueueCapacity is < 1 or > MaxQueueCapacity)
        {
            throw new ArgumentException($"queue_capacity must be in 1…{MaxQueueCapacity} (got {QueueCapacity})", nameof(QueueCapacity));
        }
        if (WaitForSubscriber < TimeSpan.Zero)
        {
            throw new ArgumentException($"wait_for_subscriber must be ≥ 0 (got {WaitForSubscriber})", nameof(WaitForSubscriber));
        }
        if (InFlightFrames is < 2 or > MaxInFlightFrames)
        {
            throw new ArgumentException($"in_flight_frames must be in 2…{MaxInFlightFrames} (got {InFlightFrames})", nameof(InFlightFrames));
        }
        if (!Enum.IsDefined(Preprocess))
        {
            throw new ArgumentException($"preprocess must be auto, ahead or just_in_time (got {(int)Preprocess})", nameof(Preprocess));
        }
        if (StartupTimeout < TimeSpan.Zero || StartupTimeout > TimeSpan.FromHours(24))
        {
            throw new ArgumentException($"startup_timeout must be 0 (wait forever) … 24 h (got {StartupTimeout})", nameof(StartupTimeout));
        }
        if (RecordChunkDuration < TimeSpan.FromMilliseconds(50) || RecordChunkDuration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentException($"record_chunk_duration must be 0.05 … 60 s (got {RecordChunkDuration})", nameof(RecordChunkDuration));
        }
        if (DrainTimeout < TimeSpan.Zero || DrainTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"drain_timeout must be 0 … 5 min (got {DrainTimeout})", nameof(DrainTimeout));
        }
    }
}
