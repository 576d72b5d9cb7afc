using System.Threading.Channels;

namespace RealtimeSeg.Frames;

/// <summary>
/// A bounded single-producer/single-consumer channel between two stages that owns what it evicts: in
/// <see cref="HandOffMode.DropOldest"/> mode an evicted item is passed to the release callback (a frame lease is
/// disposed, a pooled result returned) and counted in <see cref="Dropped"/>. Items still queued when the reader
/// stops are released by <see cref="DrainAndRelease"/>, so nothing leaks on shutdown.
/// </summary>
public sealed class HandOff<T>
{
    private readonly Action<T> _release;
    private readonly Channel<T> _channel;
    private long _dropped;

    public HandOff(int capacity, HandOffMode mode, Action<T> release)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(release);
        _release = release;
        Mode = mode;
        var options = new BoundedChannelOptions(capacity)
        {
            FullMode = mode == HandOffMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        };
        // One delegate made here, not per eviction: the drop path allocates nothing.
        _channel = Channel.CreateBounded<T>(options, OnDropped);
    }

    public HandOffMode Mode { get; }
    public ChannelReader<T> Reader => _channel.Reader;
    public ChannelWriter<T> Writer => _channel.Writer;

    /// <summary>Items evicted because the reader was behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Releases every item still queued (after the reader has stopped). Returns how many.</summary>
    public int DrainAndRelease()
    {
        int n = 0;
        while (_channel.Reader.TryRead(out T? item))
        {
            _release(item);
            n++;
        }
        return n;
    }

    private void OnDropped(T item)
    {
        Interlocked.Increment(ref _dropped);
        _release(item);
    }
}
