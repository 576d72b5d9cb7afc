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
    private readonly Action<T>? _dropped;
    private readonly Channel<T> _channel;
    private long _droppedCount;

    /// <param name="capacity">Items that may wait.</param>
    /// <param name="mode">What a full hand-off does with a new item.</param>
    /// <param name="release">Gives an item's resources back (evicted, or drained at shutdown).</param>
    /// <param name="dropped">Optional: told about each eviction before its release, e.g. to count it per stream.</param>
    public HandOff(int capacity, HandOffMode mode, Action<T> release, Action<T>? dropped = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(release);
        _release = release;
        _dropped = dropped;
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
    public long Dropped => Interlocked.Read(ref _droppedCount);

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
        Interlocked.Increment(ref _droppedCount);
        _dropped?.Invoke(item);
        _release(item);
    }
}
