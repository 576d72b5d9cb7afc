using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>What <see cref="SlotWait.RentForFrame"/> did.</summary>
internal enum SlotRent
{
    /// <summary>A slot is rented: the caller owns the lease.</summary>
    Rented,

    /// <summary>No slot was free and the pacing does not wait: the frame is counted as dropped; go on to the next one.</summary>
    Dropped,

    /// <summary>The wait for a slot was cancelled: stop capturing.</summary>
    Stopped,
}

/// <summary>How a source gets the slot for its next frame: a <see cref="Pacing.Lockstep"/> source waits for one, any other drops the frame.</summary>
internal static class SlotWait
{
    /// <summary>
    /// Rents the slot for a frame the source has ready. With no free slot, a <see cref="Pacing.Lockstep"/> source waits
    /// as long as it takes (nothing is dropped); any other pacing counts the frame in
    /// <see cref="SourceCounters.FramesDroppedNoSlot"/> and moves on, so the ring keeps the freshest frames.
    /// </summary>
    public static SlotRent RentForFrame(FramePool pool, Pacing pacing, SourceCounters counters, CancellationToken ct, out FrameLease lease)
    {
        if (pool.TryRent(out lease))
        {
            return SlotRent.Rented;
        }
        if (pacing != Pacing.Lockstep)
        {
            counters.AddDroppedNoSlot();
            return SlotRent.Dropped;
        }
        // Blocks until a slot is returned (woken by the return, not polled).
        return pool.Rent(ct, out lease) ? SlotRent.Rented : SlotRent.Stopped;
    }
}
