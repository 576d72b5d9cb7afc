using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// A real, endless frame source whose stream ends when the test says so — as a file ends, so the run ends and drains
/// normally — instead of after a number of frames that would take a machine-dependent time. Once <c>end</c> is
/// cancelled, the stream stops right after the source has handed over its next frame: at a frame boundary, so every
/// frame read is accounted for (handed over or dropped).
/// </summary>
internal sealed class EndOnSignalSource(IFrameSource inner, CancellationToken end) : WrappedSource(inner)
{
    public override async Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await Inner.RunAsync(pool, new Writer(output, stop, end), stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Stopped on the test's signal: for the pipeline, the stream has simply ended (its writer completed cleanly).
        }
    }

    private sealed class Writer(ChannelWriter<FrameLease> inner, CancellationTokenSource stop, CancellationToken end) : WrappedWriter(inner)
    {
        public override bool TryWrite(FrameLease item)
        {
            if (!Inner.TryWrite(item))
            {
                return false;
            }
            if (end.IsCancellationRequested)
            {
                // On the capture thread, after a hand-over: the capture loop sees the stop before it reads another frame.
                stop.Cancel();
            }
            return true;
        }
    }
}
