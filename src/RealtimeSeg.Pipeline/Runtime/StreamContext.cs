using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Everything that belongs to one stream: where its frames come from, its tracker (own id space), composer and
/// counters. Streams share the capture rings' scheduler, the model session and the sinks, nothing else. Counters are
/// written by one stage each and may be read from any thread.
/// </summary>
internal sealed class StreamContext
{
    /// <summary>The rate assumed while a source does not know its own (a network stream not yet connected).</summary>
    public const float FallbackFramesPerSecond = 30f;

    private readonly CaptureRings _rings;
    private long _processed;
    private long _published;
    private long _lastPublished = -1;
    private long _droppedDownstream;
    private long _lastPublishedNs;
    private volatile bool _ended;
    private volatile Exception? _failure;

    public StreamContext(int index, string name, IStreamInput input, CaptureRings rings, ByteTracker tracker, PanopticComposer composer,
        Motion.SparseFlowCameraMotion? cameraMotion = null)
    {
        CameraMotion = cameraMotion;
        Index = index;
        Name = name;
        Input = input;
        _rings = rings;
        Tracker = tracker;
        Composer = composer;
    }

    public int Index { get; }
    public string Name { get; }
    public IStreamInput Input { get; }
    public ByteTracker Tracker { get; }
    public PanopticComposer Composer { get; }

    /// <summary>The stream's camera-motion estimate (<c>tracker.camera_motion: sparse_flow</c>), used by the tracking stage only; null when off.</summary>
    public Motion.SparseFlowCameraMotion? CameraMotion { get; }

    /// <summary>The source's rate when it knows a plausible one, else <see cref="FallbackFramesPerSecond"/> (velocities are per second).</summary>
    public float FramesPerSecond => Input.FramesPerSecond is > 0 and < 1000 ? (float)Input.FramesPerSecond : FallbackFramesPerSecond;

    public long FramesProcessed => Interlocked.Read(ref _processed);
    public long FramesPublished => Interlocked.Read(ref _published);

    /// <summary>The last published frame's sequence number, or -1 before the first.</summary>
    public long LastPublishedSequence => Interlocked.Read(ref _lastPublished);

    /// <summary>Frames lost after inference: no free composed frame, or evicted on the way to the encoder.</summary>
    public long FramesDroppedDownstream => Interlocked.Read(ref _droppedDownstream);

    /// <summary>Frames evicted from the capture ring because inference was behind.</summary>
    public long FramesDroppedInRing => _rings.Dropped(Index);

    /// <summary>Every frame this stream lost before publishing: dropped by the source, evicted from the ring, or lost downstream.</summary>
    public long FramesDropped => FramesDroppedInRing + Input.FramesDroppedAtSource + FramesDroppedDownstream;

    /// <summary>What ended this stream early, or null (still running, or ended normally).</summary>
    public Exception? Failure => _failure;

    /// <summary>Monotonic ns at which the stream's last frame was handed to the sinks; 0 before the first.</summary>
    public long LastPublishedNs => Interlocked.Read(ref _lastPublishedNs);

    /// <summary>Failed or ended once its source completed; before that, as its source reports (connecting, running, reconnecting).</summary>
    public Core.StreamState State => _failure is not null ? Core.StreamState.Failed : _ended ? Core.StreamState.Ended : Input.State;

    public void CountProcessed() => Interlocked.Increment(ref _processed);
    public void CountPublished(long sequence, long publishedNs)
    {
        Interlocked.Exchange(ref _lastPublished, sequence);
        Interlocked.Exchange(ref _lastPublishedNs, publishedNs);
        Interlocked.Increment(ref _published);
    }

    /// <summary>The source's frames have all been taken (its ring completed): no frame of this stream follows.</summary>
    public void MarkEnded() => _ended = true;
    public void CountDroppedDownstream() => Interlocked.Increment(ref _droppedDownstream);
    public void Fail(Exception failure) => _failure ??= failure;
}
