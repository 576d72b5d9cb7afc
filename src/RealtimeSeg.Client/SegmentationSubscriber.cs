using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Client;

/// <summary>
/// Receives RealtimeSeg panoptic frames (docs/protocol.md) from a publisher: connects a ZeroMQ SUB socket,
/// subscribes to every stream or to one, decodes frames and category tables on a dedicated receive thread, and
/// hands frames out through <see cref="ReadAllAsync"/>.
/// </summary>
/// <remarks>
/// <para>Receiving starts in the constructor; frames that arrive before anyone reads are buffered up to
/// <see cref="SubscriberOptions.BufferCapacity"/>, then the oldest are dropped (counted in
/// <see cref="FramesDropped"/>).</para>
/// <para>Each <see cref="ReceivedFrame.Frame"/> is a new <see cref="PanopticFrame"/> that belongs to the consumer.</para>
/// <para>Frames that arrive before their stream's category table are held back (in order, up to
/// <see cref="SubscriberOptions.BufferCapacity"/> per stream) until the table arrives and then delivered with it,
/// so consumers normally get the table with the very first frame. Only if no table comes within
/// <see cref="SubscriberOptions.CategoryWaitTimeout"/> are they delivered with
/// <see cref="ReceivedFrame.Categories"/> = null, counted in <see cref="FramesWithoutCategories"/>.</para>
/// <para>Disposal stops the receive thread (within about 100 ms), closes the socket without lingering and
/// completes <see cref="ReadAllAsync"/>.</para>
/// </remarks>
public sealed class SegmentationSubscriber : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ReceivePoll = TimeSpan.FromMilliseconds(100);

    private readonly SubscriberOptions _options;
    private readonly IPipelineLog _log;
    private readonly Channel<ReceivedFrame> _frames;
    private readonly Thread _thread;
    private readonly Dictionary<string, CategoryTableMessage> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<HeldFrame>> _held = new(StringComparer.Ordinal);
    private readonly long _categoryWaitNs;
    private readonly PanopticFrameDeserializer _deserializer = new();
    private readonly byte[]? _streamFilter;
    private SubscriberSocket? _socket;
    private volatile bool _stopping;
    private long _received;
    private long _missed;
    private long _withoutCategories;
    private long _dropped;
    private long _malformed;
    private long _metaReceived;

    public SegmentationSubscriber(SubscriberOptions options, IPipelineLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = log ?? NullPipelineLog.Instance;
        _categoryWaitNs = (long)(options.CategoryWaitTimeout.TotalMilliseconds * 1_000_000);
        _streamFilter = options.Stream is null ? null : Encoding.ASCII.GetBytes(options.Stream);
        _frames = Channel.CreateBounded<ReceivedFrame>(
            new BoundedChannelOptions(options.BufferCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleWriter = true,
            },
            _ => Interlocked.Increment(ref _dropped));

        _socket = Connect(options);
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "rseg-subscriber" };
        _thread.Start();
    }

    public string Endpoint => _options.Endpoint;

    /// <summary>Frame messages received and decoded.</summary>
    public long FramesReceived => Interlocked.Read(ref _received);

    /// <summary>Frames never received: the sum of gaps in each stream's sequence numbers.</summary>
    public long FramesMissed => Interlocked.Read(ref _missed);

    /// <summary>Frames delivered with a null table because their stream's table did not arrive in time.</summary>
    public long FramesWithoutCategories => Interlocked.Read(ref _withoutCategories);

    /// <summary>Decoded frames dropped because the consumer did not read them before the buffer filled.</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages that broke the protocol and were skipped (the first one is logged as a warning).</summary>
    public long MessagesMalformed => Interlocked.Read(ref _malformed);

    public long MetaMessagesReceived => Interlocked.Read(ref _metaReceived);

    /// <summary>Raised on the receive thread whenever a category table (meta message) arrives.</summary>
    public event Action<CategoryTableMessage>? CategoriesReceived;

    /// <summary>The latest category table received for <paramref name="stream"/>, or null.</summary>
    public CategoryTableMessage? GetCategories(string stream)
    {
        lock (_tables)
        {
            return _tables.GetValueOrDefault(stream);
        }
    }

    /// <summary>Received frames in arrival order until the subscriber is disposed or <paramref name="ct"/> is cancelled. One reader at a time.</summary>
    public IAsyncEnumerable<ReceivedFrame> ReadAllAsync(CancellationToken ct = default) => _frames.Reader.ReadAllAsync(ct);

    /// <summary>Waits up to <paramref name="timeout"/> for the next frame; null when none arrived or the subscriber closed.</summary>
    public async ValueTask<ReceivedFrame?> TryReadAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static SubscriberSocket Connect(SubscriberOptions options)
    {
        var socket = new SubscriberSocket();
        try
        {
            socket.Options.ReceiveHighWatermark = options.ReceiveHighWaterMark;
            socket.Options.Linger = TimeSpan.Zero;
            socket.Connect(options.Endpoint);
            if (options.Stream is null)
            {
                socket.Subscribe(WireFormat.TopicRoot);
            }
            else
            {
                socket.Subscribe(WireFormat.FrameTopic(options.Stream));
                socket.Subscribe(WireFormat.MetaTopic(options.Stream));
            }
            return socket;
        }
        catch (Exception e) when (e is NetMQException or SocketException or ArgumentException)
        {
            socket.Dispose();
            throw new SourceUnavailableException(options.Endpoint, "subscriber cannot connect: " + e.Message, e);
        }
    }

    private void ReceiveLoop()
    {
        SubscriberSocket socket = _socket!;
        var topic = new Msg();
        var payload = new Msg();
        topic.InitEmpty();
        payload.InitEmpty();
        Exception? failure = null;
        try
        {
            while (!_stopping)
            {
                // Return the previous message's pooled buffers before receiving into the same Msg again.
                Recycle(ref topic);
                Recycle(ref payload);
                DeliverExpiredHeldFrames();
                if (!socket.TryReceive(ref topic, ReceivePoll) || !topic.HasMore)
                {
                    // Nothing yet, or a single-part message: not a [topic, payload] message of this protocol.
                    continue;
                }
                // Parts of one message arrive together, so the payload is already there.
                if (!socket.TryReceive(ref payload, ReceivePoll))
                {
                    continue;
                }
                bool extraParts = payload.HasMore;
                Handle(topic, payload);
                while (extraParts && Recycle(ref payload) && socket.TryReceive(ref payload, ReceivePoll))
                {
                    // Parts beyond [topic, payload] are reserved for future versions.
                    extraParts = payload.HasMore;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            _log.Error($"subscriber on {_options.Endpoint} stopped: {e.Message}");
        }
        finally
        {
            topic.Close();
            payload.Close();
            socket.Dispose();
            _socket = null;
            // Held frames go out before the channel completes, so a reader still gets them.
            DeliverAllHeldFrames();
            _frames.Writer.TryComplete(failure);
        }
    }

    /// <summary>Returns a received part's (pooled) buffer and makes the Msg ready for the next receive.</summary>
    private static bool Recycle(ref Msg msg)
    {
        msg.Close();
        msg.InitEmpty();
        return true;
    }

    private void Handle(Msg topicMsg, Msg payloadMsg)
    {
        if (!WireFormat.TryParseTopic(topicMsg.Slice(), out WireMessageKind kind, out ReadOnlySpan<byte> stream))
        {
            return;
        }
        // ZeroMQ filters by prefix ("s1" also matches "s10"); the stream must match exactly.
        if (_streamFilter is not null && !stream.SequenceEqual(_streamFilter))
        {
            return;
        }
        ReadOnlyMemory<byte> payload = payloadMsg.SliceAsMemory();
        long receivedUtcNs = MonotonicClock.UtcNowNs();
        try
        {
            if (kind == WireMessageKind.Meta)
            {
                OnMeta(CategoryTableSerializer.Read(payload));
            }
            else
            {
                OnFrame(payload, receivedUtcNs);
            }
        }
        catch (ProtocolException e)
        {
            if (Interlocked.Increment(ref _malformed) == 1)
            {
                _log.Warn($"subscriber on {_options.Endpoint} skipped a malformed {kind} message on '{Encoding.ASCII.GetString(topicMsg.Slice())}': {e.Message} (further ones are only counted)");
            }
        }
    }

    private void OnMeta(CategoryTableMessage message)
    {
        lock (_tables)
        {
            _tables[message.Stream] = message;
        }
        Interlocked.Increment(ref _metaReceived);
        CategoriesReceived?.Invoke(message);
        if (_held.TryGetValue(message.Stream, out Queue<HeldFrame>? held))
        {
            while (held.TryDequeue(out HeldFrame h))
            {
                Deliver(h.Frame, h.Frame.CategoryTableVersion == message.Version ? message.Categories : null, h.ReceivedUtcNs);
            }
        }
    }

    private void OnFrame(ReadOnlyMemory<byte> payload, long receivedUtcNs)
    {
        var frame = new PanopticFrame();
        _deserializer.Read(payload, frame);
        Interlocked.Increment(ref _received);
        CountGap(frame.StreamName, frame.Sequence);

        CategoryTable? categories = FindCategories(frame);
        Queue<HeldFrame>? held = _held.GetValueOrDefault(frame.StreamName);
        if (categories is null && _categoryWaitNs > 0)
        {
            if (held is null)
            {
                held = new Queue<HeldFrame>();
                _held[frame.StreamName] = held;
            }
            held.Enqueue(new HeldFrame(frame, receivedUtcNs, MonotonicClock.NowNs()));
            if (held.Count > _options.BufferCapacity)
            {
                HeldFrame oldest = held.Dequeue();
                Deliver(oldest.Frame, null, oldest.ReceivedUtcNs);
            }
            AssertInvariants();
            return;
        }
        // Frames held for an older table version must not be overtaken.
        while (held is not null && held.TryDequeue(out HeldFrame h))
        {
            Deliver(h.Frame, null, h.ReceivedUtcNs);
        }
        Deliver(frame, categories, receivedUtcNs);
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

    private void Deliver(PanopticFrame frame, CategoryTable? categories, long receivedUtcNs)
    {
        if (categories is null)
        {
            Interlocked.Increment(ref _withoutCategories);
        }
        double latencyMs = frame.CaptureUtcNs == 0 ? double.NaN : MonotonicClock.ToMilliseconds(receivedUtcNs - frame.CaptureUtcNs);
        bool written = _frames.Writer.TryWrite(new ReceivedFrame(frame.StreamName, frame, categories, receivedUtcNs, latencyMs));
        Debug.Assert(written, "a DropOldest channel always accepts");
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        foreach (Queue<HeldFrame> held in _held.Values)
        {
            Debug.Assert(held.Count <= _options.BufferCapacity, "held frames are bounded like the delivery buffer");
        }
        Debug.Assert(FramesWithoutCategories <= FramesReceived);
    }

    private void DeliverExpiredHeldFrames()
    {
        if (_held.Count == 0)
        {
            return;
        }
        long now = MonotonicClock.NowNs();
        foreach (Queue<HeldFrame> held in _held.Values)
        {
            while (held.TryPeek(out HeldFrame h) && now - h.HeldSinceNs >= _categoryWaitNs)
            {
                held.Dequeue();
                Deliver(h.Frame, null, h.ReceivedUtcNs);
            }
        }
    }

    private void DeliverAllHeldFrames()
    {
        foreach (Queue<HeldFrame> held in _held.Values)
        {
            while (held.TryDequeue(out HeldFrame h))
            {
                Deliver(h.Frame, null, h.ReceivedUtcNs);
            }
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
}
