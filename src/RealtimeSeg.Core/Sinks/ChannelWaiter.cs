using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// Lets one dedicated thread sleep until a channel has something to read, without allocating: the channel's wait is
/// taken without a token (so the channel reuses its waiter) and wakes an event through a cached continuation; a stop
/// reaches the thread through <see cref="Wake"/> (register it on the token once, not per wait). Not disposed on purpose:
/// a wait abandoned at a stop may still set the event later.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Must outlive an abandoned channel wait; holds no kernel handle.")]
public sealed class ChannelWaiter
{
    private readonly ManualResetEventSlim _event = new(initialState: false);
    private readonly Action _signal;

    public ChannelWaiter()
    {
        _signal = _event.Set;
    }

    /// <summary>Wakes a thread blocked in <see cref="WaitToRead{T}"/> (it then re-checks its stop condition).</summary>
    public void Wake() => _event.Set();

    /// <summary>
    /// Blocks until <paramref name="reader"/> has an item (<see cref="ChannelWaitResult.Readable"/>), the channel completed
    /// (<see cref="ChannelWaitResult.Completed"/>, rethrowing the writer's exception if it completed with one),
    /// <paramref name="stop"/> returned true after a <see cref="Wake"/> (<see cref="ChannelWaitResult.Stopped"/>), or
    /// <paramref name="timeout"/> passed (<see cref="ChannelWaitResult.TimedOut"/>; <see cref="Timeout.InfiniteTimeSpan"/> waits on).
    /// </summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly",
        Justification = "A dedicated thread cannot await: the wait is observed once through a continuation and its result read only after it completed.")]
    public ChannelWaitResult WaitToRead<T>(ChannelReader<T> reader, Func<bool> stop, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(stop);
        while (!stop())
        {
            _event.Reset();
            ValueTask<bool> ready = reader.WaitToReadAsync(CancellationToken.None);
            if (!ready.IsCompleted)
            {
                ready.GetAwaiter().UnsafeOnCompleted(_signal);
                bool woken = _event.Wait(timeout, CancellationToken.None);
                if (!ready.IsCompleted)
                {
                    if (!woken)
                    {
                        return ChannelWaitResult.TimedOut;
                    }
                    continue;
                }
            }
            return ready.GetAwaiter().GetResult() ? ChannelWaitResult.Readable : ChannelWaitResult.Completed;
        }
        return ChannelWaitResult.Stopped;
    }
}
