using System.Threading.Channels;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// A wake-up for one asynchronous waiter: <see cref="Ring"/> from any thread, <see cref="WaitAsync"/> from the one
/// consumer. Rings while nobody waits coalesce into one pending wake-up, so the waiter re-checks its queues after
/// every wake and may wake spuriously, but never misses a ring that happened after its last check.
/// Built on a one-item channel: its reader wait without a token reuses a pooled operation, so waiting allocates nothing.
/// </summary>
internal sealed class Doorbell
{
    private readonly Channel<byte> _channel = Channel.CreateBounded<byte>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    public Doorbell()
    {
        Ring = RingCore;
    }

    /// <summary>The ring as a cached delegate (for <see cref="SignallingWriter{T}"/>), so ringing allocates nothing.</summary>
    public Action Ring { get; }

    /// <summary>Completes when the bell has rung since the last wait (or at once when it already had).</summary>
    public ValueTask<byte> WaitAsync() => _channel.Reader.ReadAsync(CancellationToken.None);

    /// <summary>Takes a pending ring without waiting: true when the bell had rung since the last wait.</summary>
    public bool TryTakeRing() => _channel.Reader.TryRead(out _);

    private void RingCore() => _channel.Writer.TryWrite(0);
}
