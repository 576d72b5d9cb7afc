using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>How a <see cref="Pacing.Lockstep"/> source waits for a free frame slot instead of dropping the frame.</summary>
internal static class SlotWait
{
    /// <summary>
    /// Poll interval: <see cref="FramePool"/> has no wait handle, and a slot comes back within one inference anyway, so
    /// polling every millisecond costs nothing measurable and adds at most a millisecond.
    /// </summary>
    private const int PollMs = 1;

    /// <summary>Rents a slot, waiting as long as it takes. False when <paramref name="ct"/> stopped the wait.</summary>
    public static bool Rent(FramePool pool, CancellationToken ct, out FrameLease lease)
    {
        while (!pool.TryRent(out lease))
        {
            if (ct.WaitHandle.WaitOne(PollMs))
            {
                return false;
            }
        }
        return true;
    }
}
