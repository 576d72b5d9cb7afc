using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// A real frame source whose capture dies after <c>frames</c> frames, the way a camera that is unplugged fails: the
/// source's own capture loop gets an exception mid-run (from its output writer) and fails its run with it.
/// </summary>
internal sealed class FailAfterSource(IFrameSource inner, int frames) : WrappedSource(inner)
{
    public override Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
        => Inner.RunAsync(pool, new Writer(output, frames), ct);

    private sealed class Writer(ChannelWriter<FrameLease> inner, int frames) : WrappedWriter(inner)
    {
        private int _written;

        public override bool TryWrite(FrameLease item)
        {
            if (_written == frames)
            {
                // The source still owns the lease when its write throws, and disposes it.
                throw new IOException($"simulated capture failure after {frames} frames (device unplugged)");
            }
            if (!Inner.TryWrite(item))
            {
                return false;
            }
            _written++;
            return true;
        }
    }
}
