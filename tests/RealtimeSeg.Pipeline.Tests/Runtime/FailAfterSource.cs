using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// A real frame source whose capture dies after <c>frames</c> frames, the way a camera that is unplugged fails: the
/// source's own capture loop gets an exception mid-run (from its output writer) and fails its run with it.
/// </summary>
internal sealed class FailAfterSource : IFrameSource
{
    private readonly IFrameSource _inner;
    private readonly int _frames;

    public FailAfterSource(IFrameSource inner, int frames)
    {
        _inner = inner;
        _frames = frames;
    }

    public string Uri => _inner.Uri;
    public int StreamIndex => _inner.StreamIndex;
    public int Width => _inner.Width;
    public int Height => _inner.Height;
    public double FramesPerSecond => _inner.FramesPerSecond;
    public long? FrameCount => _inner.FrameCount;
    public SourceCounters Counters => _inner.Counters;

    public Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
        => _inner.RunAsync(pool, new Writer(output, _frames), ct);

    public void Dispose() => _inner.Dispose();

    private sealed class Writer(ChannelWriter<FrameLease> inner, int frames) : ChannelWriter<FrameLease>
    {
        private int _written;

        public override bool TryWrite(FrameLease item)
        {
            if (_written == frames)
            {
                // The source still owns the lease when its write throws, and disposes it.
                throw new IOException($"simulated capture failure after {frames} frames (device unplugged)");
            }
            if (!inner.TryWrite(item))
            {
                return false;
            }
            _written++;
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);

        public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);
    }
}
