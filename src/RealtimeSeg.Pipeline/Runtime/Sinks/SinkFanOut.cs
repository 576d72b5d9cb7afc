using System.Threading.Channels;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// The writer end of every sink's queue at once: writing a frame takes over the writer's reference and gives each sink
/// one of its own (so the frame goes back to its pool when the last sink is done with it). Completing it completes
/// every sink's queue, which is how sinks learn that the run is draining. Single writer (the encode stage).
/// </summary>
internal sealed class SinkFanOut : ChannelWriter<ComposedFrame>
{
    private readonly SinkRunner[] _sinks;

    public SinkFanOut(SinkRunner[] sinks)
    {
        _sinks = sinks;
    }

    /// <summary>Offers the frame to every sink; false (nothing offered) when a waiting (lockstep) queue is full.</summary>
    public override bool TryWrite(ComposedFrame item)
    {
        // All or none: a waiting queue is only ever filled by this single writer, so room seen here is still there below.
        foreach (SinkRunner s in _sinks)
        {
            if (!s.HasRoom)
            {
                return false;
            }
        }
        foreach (SinkRunner s in _sinks)
        {
            bool offered = s.TryOffer(item);
            System.Diagnostics.Debug.Assert(offered, "room was checked above");
        }
        item.Release();
        return true;
    }

    public override async ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default)
    {
        foreach (SinkRunner s in _sinks)
        {
            // A queue completed by a stopped sink reports false here; its offers then succeed (as drops).
            await s.WaitForRoomAsync().ConfigureAwait(false);
        }
        return true;
    }

    public override bool TryComplete(Exception? error = null)
    {
        foreach (SinkRunner s in _sinks)
        {
            s.Complete();
        }
        return true;
    }
}
