using RealtimeSeg.Frames;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Everything that belongs to one stream: where its frames come from, its capture ring, tracker (own id space),
/// composer and counters. Streams share the model session and the publisher, nothing else.
/// </summary>
internal sealed class StreamContext
{
    private long _processed;
    private long _published;
    private long _droppedDownstream;
    private volatile Exception? _failure;

    public StreamContext(int index, string name, IStreamInput input, HandOff<FrameLease> ring, ByteTracker tracker, PanopticComposer composer)
    {
        Index = index;
        Name = name;
        Input = input;
        Ring = ring;
        Tracker = tracker;
        Composer = composer;
        FramesPerSecond = input.FramesPerSecond is > 0 and < 1000 ? (float)input.FramesPerSecond : 30f;
    }

    public int Index { get; }
    public string Name { get; }
    public IStreamInput Input { get; }
    public HandOff<FrameLease> Ring { get; }
    public ByteTracker Tracker { get; }
    public PanopticComposer Composer { get; }
    public float FramesPerSecond { get; }

    public long FramesProcessed => Interlocked.Read(ref _processed);
    public long FramesPublished => Interlocked.Read(ref _published);

    /// <summary>Frames lost after inference: no free panoptic frame, or evicted on the way to the publisher.</summary>
    public long FramesDroppedDownstream => Interlocked.Read(ref _droppedDownstream);

    /// <summary>Every frame this stream lost: evicted from the ring, dropped by the source, or lost downstream.</summary>
    public long FramesDropped => Ring.Dropped + Input.FramesDroppedAtSource + FramesDroppedDownstream;

    /// <summary>What ended this stream early, or null (still running, or ended normally).</summary>
    public Exception? Failure => _failure;

    public void CountProcessed() => Interlocked.Increment(ref _processed);
    public void CountPublished() => Interlocked.Increment(ref _published);
    public void CountDroppedDownstream() => Interlocked.Increment(ref _droppedDownstream);
    public void Fail(Exception failure) => _failure ??= failure;
}
