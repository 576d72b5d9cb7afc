using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Client;

/// <summary>
/// What a subscriber's receive thread does with each [topic, payload] message, apart from the socket: filters the
/// topic, decodes frames in place into frames of the <see cref="FrameExchange"/> pool, keeps category tables,
/// holds frames back until their table arrives, counts sequence gaps, drops and malformed messages, and queues
/// frames for delivery. Once every pooled frame has grown to the stream's size, a frame message allocates
/// nothing here. Single-threaded: only the receive thread calls it (counters are read from any thread).
/// </summary>
internal sealed class FrameReceiver
{
    private readonly FrameExchange _exchange;
    private readonly IPipelineLog _log;
    private readonly string _source;
    private readonly byte[]? _streamFilter;
    private readonly int _heldCapacity;
    private readonly long _categoryWaitNs;
    private readonly Action<CategoryTableMessage> _onCategories;
    private readonly Action<StreamEndMessage> _onEnd;
    private readonly ImageReceivedHandler _onImage;
    private readonly RawMessageHandler? _onRaw;
    private readonly Dictionary<string, CategoryTableMessage> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<LendableFrame>> _held = new(StringComparer.Ordinal);
    private readonly PanopticFrameDeserializer _deserializer;
    private readonly long[] _faults = new long[Enum.GetValues<MessageFault>().Length];
    private LendableFrame _receiving;
    private long _tickets;
    private long _received;
    private long _missed;
    private long _withoutCategories;
    private long _dropped;
    private long _metaReceived;
    private long _ends;
    private long _images;

    public FrameReceiver(SubscriberOptions options, FrameExchange exchange, IPipelineLog log, Action<CategoryTableMessage> onCategories,
        Action<StreamEndMessage> onEnd, ImageReceivedHandler onImage, RawMessageHandler? onRaw = null)
    {
        _onRaw = onRaw;
        _deserializer = new PanopticFrameDeserializer(options.Limits);
        _exchange = exchange;
        _log = log;
        _onCategories = onCategories;
        _onEnd = onEnd;
        _onImage = onImage;
        _source = options.Endpoint;
        _streamFilter = options.Stream is null ? null : Encoding.ASCII.GetBytes(options.Stream);
        _heldCapacity = options.BufferCapacity;
        _categoryWaitNs = (long)(options.CategoryWaitTimeout.TotalMilliseconds * 1_000_000);
        bool rented = exchange.TryRentFree(out LendableFrame? first);
        Debug.Assert(rented, "a new pool has free frames");
        _receiving = first!;
    }

    public long FramesReceived => Interlocked.Read(ref _received);
    public long FramesMissed => Interlocked.Read(ref _missed);
    public long FramesWithoutCategories => Interlocked.Read(ref _withoutCategories);
    public long FramesDropped => Interlocked.Read(ref _dropped);
    public long MessagesMalformed => GetFaultCount(MessageFault.Malformed) + GetFaultCount(MessageFault.Truncated);
    public long MessagesRejected => GetFaultCount(MessageFault.MapTooLarge) + GetFaultCount(MessageFault.TooManySegments);

    public long GetFaultCount(MessageFault fault) => (uint)fault < (uint)_faults.Length ? Interlocked.Read(ref _faults[(int)fault]) : 0;
    public long MetaMessagesReceived => Interlocked.Read(ref _metaReceived);
    public long StreamsEnded => Interlocked.Read(ref _ends);
    public long ImagesReceived => Interlocked.Read(ref _images);

    public CategoryTableMessage? GetCategories(string stream)
    {
        lock (_tables)
        {
            return _tables.GetValueOrDefault(stream);
        }
    }

    /// <summary>Handles one [topic, payload] message; a message that breaks the protocol is counted and skipped.</summary>
    public void OnMessage(ReadOnlySpan<byte> topic, ReadOnlyMemory<byte> payload)
    {
        if (!WireFormat.TryParseTopic(topic, out WireMessageKind kind, out ReadOnlySpan<byte> stream))
        {
            return;
        }
        // ZeroMQ filters by prefix ("s1" also matches "s10"); the stream must match exactly.
        if (_streamFilter is not null && !stream.SequenceEqual(_streamFilter))
        {
            return;
        }
        long receivedUtcNs = MonotonicClock.UtcNowNs();
        try
        {
            _onRaw?.Invoke(kind, stream, payload);
            switch (kind)
            {
                case WireMessageKind.Meta:
                    OnMeta(CategoryTableSerializer.Read(payload));
                    break;
                case WireMessageKind.End:
                    OnEnd(StreamEndSerializer.Read(payload));
                    break;
                case WireMessageKind.Image:
                    ImageHeader header = ImageMessageSerializer.Read(payload, out ReadOnlyMemory<byte> jpeg);
                    Interlocked.Increment(ref _images);
                    _onImage(header, jpeg);
                    break;
                default:
                    OnFrame(payload, receivedUtcNs);
                    break;
            }
        }
        catch (ProtocolException e)
        {
            int fault = (uint)e.Fault < (uint)_faults.Length ? (int)e.Fault : (int)MessageFault.Malformed;
            // The first of each kind is logged; a hostile or broken publisher must not flood the log.
            if (Interlocked.Increment(ref _faults[fault]) == 1)
            {
                _log.Warn($"subscriber on {_source} skipped a {kind} message on '{Encoding.ASCII.GetString(topic)}': {e.Message} (further {e.Fault} messages are only counted)");
            }
        }
    }

    /// <summary>Delivers, with a null table, held frames whose table did not come within the wait.</summary>
    public void DeliverExpiredHeldFrames()
    {
        if (_held.Count == 0)
        {
            return;
        }
        long now = MonotonicClock.NowNs();
        foreach (Queue<LendableFrame> held in _held.Values)
        {
            while (held.TryPeek(out LendableFrame? h) && now - h.HeldSinceNs >= _categoryWaitNs)
            {
                Deliver(held.Dequeue(), null);
            }
        }
    }

    /// <summary>At shutdown: held frames go out (with a null table) before delivery completes, so a reader still gets them.</summary>
    public void DeliverAllHeldFrames()
    {
        foreach (Queue<LendableFrame> held in _held.Values)
        {
            while (held.TryDequeue(out LendableFrame? h))
            {
                Deliver(h, null);
            }
        }
    }

    /// <summary>A stream ended: its held frames go out first (nothing of it follows), then the consumer hears of the end.</summary>
    private void OnEnd(StreamEndMessage message)
    {
        if (_held.TryGetValue(message.Stream, out Queue<LendableFrame>? held))
        {
            while (held.TryDequeue(out LendableFrame? h))
            {
                Deliver(h, null);
            }
        }
        _lastSequence.Remove(message.Stream);
        Interlocked.Increment(ref _ends);
        _onEnd(message);
    }

    private void OnMeta(CategoryTableMessage message)
    {
        lock (_tables)
        {
            _tables[message.Stream] = message;
        }
        Interlocked.Increment(ref _metaReceived);
        _onCategories(message);
        if (_held.TryGetValue(message.Stream, out Queue<LendableFrame>? held))
        {
            while (held.TryDequeue(out LendableFrame? h))
            {
                Deliver(h, h.Frame.CategoryTableVersion == message.Version ? message.Categories : null);
            }
        }
    }

    private void OnFrame(ReadOnlyMemory<byte> payload, long receivedUtcNs)
    {
        LendableFrame frame = _receiving;
        // A malformed payload throws here and the frame simply stays the one to receive into.
        _deserializer.Read(payload, frame.Frame);
        Interlocked.Increment(ref _received);
        string stream = frame.Frame.StreamName;
        CountGap(stream, frame.Frame.Sequence);
        frame.ReceiveUtcNs = receivedUtcNs;
        frame.Ticket = ++_tickets;

        CategoryTable? categories = FindCategories(frame.Frame);
        Queue<LendableFrame>? held = _held.GetValueOrDefault(stream);
        if (categories is null && _categoryWaitNs > 0)
        {
            if (held is null)
            {
                held = new Queue<LendableFrame>(_heldCapacity + 1);
                _held[stream] = held;
            }
            frame.HeldSinceNs = MonotonicClock.NowNs();
            held.Enqueue(frame);
            if (held.Count > _heldCapacity)
            {
                Deliver(held.Dequeue(), null);
            }
        }
        else
        {
            // Frames held for an older table version must not be overtaken.
            while (held is not null && held.TryDequeue(out LendableFrame? h))
            {
                Deliver(h, null);
            }
            Deliver(frame, categories);
        }
        _receiving = NextFrameToReceiveInto();
        AssertInvariants();
    }

    /// <summary>
    /// A free pooled frame, or — when the consumer holds the others on loan and the rest wait for delivery — the
    /// oldest frame waiting (queued or held back), dropped and counted. Never allocates and never waits: the
    /// frame just received is itself waiting, so there always is one.
    /// </summary>
    private LendableFrame NextFrameToReceiveInto()
    {
        if (_exchange.TryRentFree(out LendableFrame? free))
        {
            return free;
        }
        Queue<LendableFrame>? oldestHeld = null;
        long heldTicket = long.MaxValue;
        foreach (Queue<LendableFrame> held in _held.Values)
        {
            if (held.TryPeek(out LendableFrame? h) && h.Ticket < heldTicket)
            {
                heldTicket = h.Ticket;
                oldestHeld = held;
            }
        }
        if (!_exchange.TryReclaimOldestBefore(heldTicket, out LendableFrame? reclaimed))
        {
            Debug.Assert(oldestHeld is not null, "the frame just received is queued or held");
            reclaimed = oldestHeld.Dequeue();
        }
        Interlocked.Increment(ref _dropped);
        return reclaimed;
    }

    private CategoryTable? FindCategories(PanopticFrame frame)
    {
        lock (_tables)
        {
            return _tables.TryGetValue(frame.StreamName, out CategoryTableMessage? table) && table.Version == frame.CategoryTableVersion
                ? table.Categories
                : null;
        }
    }

    private void Deliver(LendableFrame frame, CategoryTable? categories)
    {
        frame.Categories = categories;
        if (categories is null)
        {
            Interlocked.Increment(ref _withoutCategories);
        }
        if (_exchange.Enqueue(frame))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountGap(string stream, long sequence)
    {
        if (_lastSequence.TryGetValue(stream, out long last) && sequence > last + 1)
        {
            Interlocked.Add(ref _missed, sequence - last - 1);
        }
        // A lower sequence means the publisher restarted: start counting afresh.
        _lastSequence[stream] = sequence;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        foreach (Queue<LendableFrame> held in _held.Values)
        {
            Debug.Assert(held.Count <= _heldCapacity, "held frames are bounded like the delivery buffer");
            foreach (LendableFrame h in held)
            {
                Debug.Assert(!ReferenceEquals(h, _receiving), "the frame being received into is never also held");
            }
        }
        Debug.Assert(FramesWithoutCategories <= FramesReceived);
        Debug.Assert(_receiving.OnLoan == 0, "the receive thread never decodes into a lent frame");
    }
}
