using System.Threading.Channels;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>
/// Writes leases to a channel from a capture thread, waiting synchronously when a wait-mode channel is full,
/// without allocating per frame. A drop-oldest channel never makes it wait.
/// </summary>
/// <remarks>
/// The wait uses <see cref="ChannelWriter{T}.WaitToWriteAsync"/> with no token, which lets the bounded channel reuse
/// its single waiter object instead of allocating one per wait; cancellation is observed by waiting on the
/// token's handle alongside. The one allocation left is the channel's: when room appears between checking and
/// registering the wait, it queues the wake-up as a 32-byte thread-pool item (rare: about once in thousands of waits).
/// A wait abandoned by cancellation finishes when the channel is completed and then only
/// sets an event nobody reads, so the event is deliberately never disposed.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The event must outlive an abandoned wait (see remarks); it holds no unmanaged state on this runtime worth a deterministic dispose.")]
internal sealed class BlockingFrameWriter
{
    private const int SpaceSignalled = 0;

    private readonly ChannelWriter<FrameLease> _writer;
    private readonly CancellationToken _ct;
    private readonly ManualResetEventSlim _space = new(initialState: false, spinCount: 0);
    private readonly Action _signalSpace;
    private readonly WaitHandle[] _waitHandles;

    public BlockingFrameWriter(ChannelWriter<FrameLease> writer, CancellationToken ct)
    {
        _writer = writer;
        _ct = ct;
        _signalSpace = _space.Set;
        _waitHandles = [_space.WaitHandle, ct.WaitHandle];
    }

    /// <summary>Set when a write failed because the channel was completed by someone else.</summary>
    public bool ChannelClosed { get; private set; }

    /// <summary>
    /// Hands <paramref name="lease"/> over. False when the token was cancelled or the channel closed; the caller
    /// then still owns the lease.
    /// </summary>
    public bool Write(FrameLease lease)
    {
        while (true)
        {
            if (_writer.TryWrite(lease))
            {
                return true;
            }
            if (_ct.IsCancellationRequested)
            {
                return false;
            }
            _space.Reset();
#pragma warning disable CA2012 // Consumed exactly once: IsCompleted and the continuation only observe it; GetResult consumes it.
            ValueTask<bool> ready = _writer.WaitToWriteAsync(CancellationToken.None);
#pragma warning restore CA2012
            if (!ready.IsCompleted)
            {
                ready.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signalSpace);
                if (WaitHandle.WaitAny(_waitHandles) != SpaceSignalled)
                {
                    return false;
                }
            }
            if (!ready.GetAwaiter().GetResult())
            {
                ChannelClosed = true;
                return false;
            }
        }
    }
}
