using RealtimeSeg.Capture;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>Everything that belongs to one stream: its source, capture ring, tracker (own id space) and composer.</summary>
internal sealed class StreamContext : IDisposable
{
    private long _processed;
    private long _published;
    private long _droppedDownstream;

    public StreamContext(int index, string name, IFrameSource source, HandOff<FrameLease> ring, ByteTracker tracker, PanopticComposer composer)
    {
        Index = index;
        Name = name;
        Source = source;
        Ring = ring;
        Tracker = tracker;
        Composer = composer;
        FramesPerSecond = source.FramesPerSecond is > 0 and < 1000 ? (float)source.FramesPerSecond : 30f;
    }

    public int Index { get; }
    public string Name { get; }
    public IFrameSource Source { get; }
    public HandOff<FrameLease> Ring { get; }
    public ByteTracker Tracker { get; }
    public PanopticComposer Composer { get; }
    public float FramesPerSecond { get; }

    public long FramesProcessed => Interlocked.Read(ref _processed);
    public long FramesPublished => Interlocked.Read(ref _published);

    /// <summary>Frames lost after inference: no free panoptic frame, or evicted on the way to the publisher.</summary>
    public long FramesDroppedDownstream => Interlocked.Read(ref _droppedDownstream);

    public void CountProcessed() => Interlocked.Increment(ref _processed);
    public void CountPublished() => Interlocked.Increment(ref _published);
    public void CountDroppedDownstream() => Interlocked.Increment(ref _droppedDownstream);

    public void Dispose() => Source.Dispose();
}
