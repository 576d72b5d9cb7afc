using System.Diagnostics;
using System.Text;

namespace RealtimeSeg.Frames;

/// <summary>
/// A fixed set of <see cref="FrameSlot"/>s in pinned native memory. Renting and returning allocate nothing.
/// When every slot is out, <see cref="TryRent"/> fails instead of growing: the caller drops the frame and
/// counts it, so memory and latency stay bounded. In diagnostic mode (tests) the pool records where each slot
/// was rented and <see cref="AssertNoLeaks"/> and <see cref="Dispose"/> fail on slots never returned.
/// Thread-safe: slots may be rented on one thread and returned on another. A source that must not drop (lockstep)
/// blocks in <see cref="Rent"/> until a slot comes back: a return wakes it, nothing polls.
/// </summary>
public sealed class FramePool : IDisposable
{
    /// <summary>Slot alignment in bytes: a cache line, and enough for AVX-512 loads.</summary>
    public const int Alignment = 64;

    private readonly FrameSlot[] _slots;
    private readonly int[] _free;
    private readonly Lock _lock = new();
    // Counts free slots so a blocked renter sleeps until a return (a release), not on a poll interval.
    private readonly SemaphoreSlim _freeSignal;
    private int _freeCount;
    private bool _disposed;

    public FramePool(int slotCount, int slotBytes, bool diagnostics = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotBytes);
        Diagnostics = diagnostics;
        int rounded = (slotBytes + Alignment - 1) / Alignment * Alignment;
        _slots = new FrameSlot[slotCount];
        _free = new int[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            _slots[i] = new FrameSlot(this, i, rounded);
            _free[i] = slotCount - 1 - i;
        }
        _freeCount = slotCount;
        _freeSignal = new SemaphoreSlim(slotCount, slotCount);
        SlotBytes = rounded;
    }

    /// <summary>Bytes needed for a BGR frame of the given size with rows padded to the alignment.</summary>
    public static int BytesForBgr(int width, int height) => AlignedStride(width) * height;

    /// <summary>A BGR row length rounded up to <see cref="Alignment"/>.</summary>
    public static int AlignedStride(int width) => (width * 3 + Alignment - 1) / Alignment * Alignment;

    public bool Diagnostics { get; }
    public int SlotCount => _slots.Length;
    public int SlotBytes { get; }

    public int Available
    {
        get { lock (_lock) { return _freeCount; } }
    }

    public int Outstanding => SlotCount - Available;

    /// <summary>Rents a slot, or returns false when all are out (the caller drops the frame and counts it).</summary>
    public bool TryRent(out FrameLease lease)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_freeSignal.Wait(0))
        {
            lease = default;
            return false;
        }
        lease = Take();
        return true;
    }

    /// <summary>
    /// Rents a slot, blocking the calling (capture) thread until one is returned. False when <paramref name="ct"/> was
    /// cancelled first. The wait is the semaphore's: woken by a return, never by a timer.
    /// </summary>
    public bool Rent(CancellationToken ct, out FrameLease lease)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            _freeSignal.Wait(ct);
        }
        catch (OperationCanceledException)
        {
            lease = default;
            return false;
        }
        lease = Take();
        return true;
    }

    /// <summary>Takes a free slot; the caller has already taken one count from <see cref="_freeSignal"/>.</summary>
    private FrameLease Take()
    {
        FrameSlot slot;
        lock (_lock)
        {
            Debug.Assert(_freeCount > 0, "the semaphore counts free slots");
            slot = _slots[_free[--_freeCount]];
        }
        int wasRented = Interlocked.Exchange(ref slot.Rented, 1);
        Debug.Assert(wasRented == 0, "a slot on the free list must not be rented");
        slot.Width = 0;
        slot.Height = 0;
        slot.Stride = 0;
        slot.Metadata = default;
        if (Diagnostics)
        {
            slot.RentedAt = new StackTrace(2, fNeedFileInfo: true).ToString();
        }
        return new FrameLease(slot, Volatile.Read(ref slot.Generation));
    }

    internal void Return(FrameSlot slot, int generation)
    {
        Debug.Assert(ReferenceEquals(slot.Pool, this));
        // The generation check and bump are one atomic step, so of two racing disposes exactly one wins.
        if (Interlocked.CompareExchange(ref slot.Generation, generation + 1, generation) != generation)
        {
            throw new InvalidOperationException(
                $"frame slot {slot.Index} was returned twice (a lease was disposed after its slot had already gone back to the pool)");
        }
        Interlocked.Exchange(ref slot.Rented, 0);
        slot.RentedAt = null;
        lock (_lock)
        {
            Debug.Assert(_freeCount < _slots.Length);
            _free[_freeCount++] = slot.Index;
        }
        _freeSignal.Release();
    }

    /// <summary>Throws <see cref="FramePoolLeakException"/> naming every slot still rented (and, in diagnostic mode, where).</summary>
    public void AssertNoLeaks()
    {
        StringBuilder? report = null;
        int leaked = 0;
        foreach (FrameSlot slot in _slots)
        {
            if (Volatile.Read(ref slot.Rented) == 1)
            {
                leaked++;
                report ??= new StringBuilder();
                report.Append("slot ").Append(slot.Index).Append(" rented at:").AppendLine();
                report.AppendLine(slot.RentedAt ?? "  (enable diagnostics to record where)");
            }
        }
        if (leaked > 0)
        {
            throw new FramePoolLeakException($"{leaked} of {SlotCount} frame slots were never returned:{Environment.NewLine}{report}");
        }
    }

    /// <summary>Frees the native memory. In diagnostic mode, first fails on leaked slots.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        try
        {
            if (Diagnostics)
            {
                AssertNoLeaks();
            }
        }
        finally
        {
            foreach (FrameSlot slot in _slots)
            {
                // A leaked slot's memory is freed too; its stale leases already throw on use.
                Interlocked.Increment(ref slot.Generation);
                slot.Free();
            }
        }
    }
}
