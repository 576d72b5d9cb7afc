using RealtimeSeg.Core;

namespace RealtimeSeg.Client;

/// <summary>
/// One frame of a subscriber's fixed pool with what was learned when it was received. At any moment it is in
/// exactly one place: the receive thread's hands (being decoded or held back for its category table), the
/// delivery queue, the free list, or on loan to the consumer. Only a <see cref="FrameLoan"/> carrying the current
/// <see cref="Generation"/> may read it; returning the loan bumps the generation, so a stale loan throws instead
/// of reading a frame that has since been refilled.
/// </summary>
internal sealed class LendableFrame
{
    public LendableFrame(FrameExchange owner, int index)
    {
        Owner = owner;
        Index = index;
    }

    public FrameExchange Owner { get; }
    public int Index { get; }

    /// <summary>Decoded into in place; its map and segment buffers grow to the stream's size once and are then reused.</summary>
    public PanopticFrame Frame { get; } = new();

    public CategoryTable? Categories { get; set; }
    public long ReceiveUtcNs { get; set; }

    /// <summary>Monotonic ns when the frame started waiting for its category table.</summary>
    public long HeldSinceNs { get; set; }

    /// <summary>Arrival order, to find the oldest frame waiting for delivery across streams.</summary>
    public long Ticket { get; set; }

    /// <summary>Bumped on every return (interlocked): a loan is valid only while its copy matches.</summary>
    public int Generation;

    /// <summary>1 while on loan, 0 otherwise.</summary>
    public int OnLoan;

    /// <summary>Where the frame was lent, recorded in diagnostic mode for leak reports.</summary>
    public string? LentAt { get; set; }
}
