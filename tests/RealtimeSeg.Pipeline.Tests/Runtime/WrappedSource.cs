using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>A real frame source behind a test's wrapper: everything is the inner source's but how its run is driven.</summary>
internal abstract class WrappedSource(IFrameSource inner) : IFrameSource
{
    protected IFrameSource Inner => inner;

    public string Uri => inner.Uri;
    public int StreamIndex => inner.StreamIndex;
    public int Width => inner.Width;
    public int Height => inner.Height;
    public double FramesPerSecond => inner.FramesPerSecond;
    public long? FrameCount => inner.FrameCount;
    public SourceCounters Counters => inner.Counters;

    public abstract Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct);

    public void Dispose() => inner.Dispose();
}
