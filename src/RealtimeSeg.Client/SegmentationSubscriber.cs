using System.Net.Sockets;
using System.Runtime.CompilerServices;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Transport;

namespace RealtimeSeg.Client;

/// <summary>
/// Receives RealtimeSeg panoptic frames (docs/protocol.md) from a publisher: connects a ZeroMQ SUB socket,
/// subscribes to every stream or to one, and decodes frames and category tables on a dedicated receive thread
/// into a fixed pool of frames that it lends to the consumer.
/// </summary>
/// <remarks>
/// <para><b>Receiving without garbage.</b> <see cref="TryReceive(out FrameLoan)"/>,
/// <see cref="TryReceive(out FrameLoan, TimeSpan)"/>, <see cref="WaitToReceiveAsync"/> and
/// <see cref="ReceiveAsync"/> lend a pooled frame as a <see cref="FrameLoan"/>, which the consumer disposes to give
/// it back (lifetime rules on <see cref="FrameLoan"/>). Once the pool's frames have grown to the stream's size,
/// receiving, decoding, lending and returning allocate nothing. Typical loop:
/// <code>
/// while (await subscriber.WaitToReceiveAsync(ct))
///     while (subscriber.TryReceive(out FrameLoan loan))
///         using (loan) { Plan(loan.Frame, loan.Categories); }
/// </code>
/// <see cref="ReadAllAsync"/> and <see cref="TryReadAsync"/> remain for consumers that want to keep frames: they
/// copy each lent frame into a new, owned <see cref="PanopticFrame"/> (a new map per frame) and return the loan.</para>
/// <para><b>The pool</b> holds <see cref="SubscriberOptions.BufferCapacity"/> + <see cref="SubscriberOptions.LoanCapacity"/>
/// + 1 frames (<see cref="FramePoolSize"/>): up to BufferCapacity received frames wait for the consumer (beyond
/// that the oldest waiting frame is dropped, so a slow consumer always sees recent frames), the consumer may hold
/// LoanCapacity frames on loan, and the receive thread decodes into the last. A consumer that holds more eats into
/// the waiting frames; one that holds all of them makes the receive thread drop the oldest frame waiting (in
/// practice each new frame) instead of allocating or blocking the socket, until loans come back. Every drop is
/// counted in <see cref="FramesDropped"/>.</para>
/// <para><b>Category tables.</b> Frames that arrive before their stream's category table are held back (in order,
/// up to BufferCapacity per stream) until the table arrives and then delivered with it, so consumers normally get
/// the table with the very first frame. Only if no table comes within <see cref="SubscriberOptions.CategoryWaitTimeout"/>
/// are they delivered with <see cref="FrameLoan.Categories"/> = null, counted in <see cref="FramesWithoutCategories"/>.</para>
/// <para><b>NetMQ.</b> The constructor installs a process-wide NetMQ buffer pool backed by
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> (the publisher installs the same), so message payloads are
/// recycled. What remains per received message is NetMQ's own: a 24-byte reference counter per message part,
/// allocated on NetMQ's I/O thread (docs/benchmarks.md).</para>
/// <para>Receiving starts in the constructor. Disposal stops the receive thread (within about 100 ms), closes the
/// socket without lingering, delivers frames still held back, and completes <see cref="Completion"/>; loans
/// outstanding stay valid until disposed.</para>
/// </remarks>
public sealed class SegmentationSubscriber : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ReceivePoll = TimeSpan.FromMilliseconds(100);

    private readonly SubscriberOptions _options;
    private readonly IPipelineLog _log;
    private readonly FrameExchange _exchange;
    private readonly FrameReceiver _receiver;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private SubscriberSocket? _socket;
    private volatile bool _stopping;
    private int _disposed;

    public SegmentationSubscriber(SubscriberOptions options, IPipelineLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = log ?? NullPipelineLog.Instance;
        _exchange = new FrameExchange(options);
        _receiver = new FrameReceiver(options, _exchange, _log, RaiseCategoriesReceived, RaiseStreamEnded, RaiseImageReceived, RaiseMessageReceived);

        SharedArrayBufferPool.Install();
        _socket = Connect(options);
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "rseg-subscriber" };
        _thread.Start();
    }

    public string Endpoint => _options.Endpoint;

    /// <summary>Frame messages received and decoded.</summary>
    public long FramesReceived => _receiver.FramesReceived;

    /// <summary>Frames never received: the sum of gaps in each stream's sequence numbers.</summary>
    public long FramesMissed => _receiver.FramesMissed;

    /// <summary>Frames delivered with a null table because their stream's table did not arrive in time.</summary>
    public long FramesWithoutCategories => _receiver.FramesWithoutCategories;

    /// <summary>
    /// Decoded frames dropped before delivery: the consumer did not receive them before the buffer filled, or held
    /// so many frames on loan that the pool had none left to receive into.
    /// </summary>
    public long FramesDropped => _receiver.FramesDropped;

    /// <summary>Messages that broke the protocol (malformed or truncated) and were skipped (the first of each kind is logged).</summary>
    public long MessagesMalformed => _receiver.MessagesMalformed;

    /// <summary>
    /// Frame messages rejected for claiming more than <see cref="SubscriberOptions.Limits"/> allow (a map or segment count
    /// too large), before anything was allocated for them.
    /// </summary>
    public long MessagesRejected => _receiver.MessagesRejected;

    /// <summary>Messages skipped for <paramref name="fault"/>. Messages over the size limit never reach the subscriber: ZeroMQ drops the connection that sent them.</summary>
    public long GetFaultCount(MessageFault fault) => _receiver.GetFaultCount(fault);

    public long MetaMessagesReceived => _receiver.MetaMessagesReceived;

    /// <summary>Frames in the subscriber's pool (fixed for its life).</summary>
    public int FramePoolSize => _exchange.FrameCount;

    /// <summary>Frames lent to the consumer and not yet returned.</summary>
    public int FramesOnLoan => _exchange.OnLoan;

    /// <summary>Completes when the receive thread has stopped (after disposal), faulted if it failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Raised on the receive thread whenever a category table (meta message) arrives.</summary>
    public event Action<CategoryTableMessage>? CategoriesReceived;

    /// <summary>
    /// Raised on the receive thread when a v2 publisher says a stream ended (completed, source lost, stopping): no frame
    /// of that stream follows in that run. It comes after the stream's last frame was queued for delivery.
    /// </summary>
    public event Action<StreamEndMessage>? StreamEnded;

    /// <summary>
    /// Raised on the receive thread for each image message (with <see cref="SubscriberOptions.ReceiveImages"/>). The JPEG
    /// bytes are valid only during the call: copy what you keep.
    /// </summary>
    public event ImageReceivedHandler? ImageReceived;

    /// <summary>
    /// Raised on the receive thread for every protocol message of a subscribed topic (after the stream filter), before it
    /// is decoded, with its exact bytes (valid only during the call): what a recorder keeps. Decoding and delivery follow.
    /// </summary>
    public event RawMessageHandler? MessageReceived;

    /// <summary>End-of-stream messages received.</summary>
    public long StreamsEnded => _receiver.StreamsEnded;

    /// <summary>Image messages received.</summary>
    public long ImagesReceived => _receiver.ImagesReceived;

    /// <summary>The latest category table received for <paramref name="stream"/>, or null.</summary>
    public CategoryTableMessage? GetCategories(string stream) => _receiver.GetCategories(stream);

    /// <summary>Lends the oldest frame waiting for delivery, if any; never blocks. Dispose the loan to return the frame.</summary>
    public bool TryReceive(out FrameLoan loan) => _exchange.TryLend(out loan);

    /// <summary>
    /// Blocks up to <paramref name="timeout"/> (or <see cref="Timeout.InfiniteTimeSpan"/>) for a frame and lends it.
    /// False on timeout, or when the subscriber has stopped and every frame was delivered.
    /// </summary>
    public bool TryReceive(out FrameLoan loan, TimeSpan timeout) => _exchange.TryLend(out loan, timeout);

    /// <summary>
    /// Waits until a frame can be received with <see cref="TryReceive(out FrameLoan)"/>: true then, false when the
    /// subscriber has stopped and every frame was delivered; throws the receive thread's failure if it failed, and
    /// <see cref="OperationCanceledException"/> on cancellation. Allocation-free; one waiting reader at a time.
    /// </summary>
    public ValueTask<bool> WaitToReceiveAsync(CancellationToken ct = default) => _exchange.WaitToLendAsync(ct);

    /// <summary>
    /// Waits for a frame and lends it, or returns null when the subscriber has stopped and every frame was delivered.
    /// Allocation-free in steady state (the async machinery is pooled). One reader at a time.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FrameLoan?> ReceiveAsync(CancellationToken ct = default)
    {
        FrameLoan loan;
        while (!_exchange.TryLend(out loan))
        {
            if (!await _exchange.WaitToLendAsync(ct).ConfigureAwait(false))
            {
                return null;
            }
        }
        return loan;
    }

    /// <summary>
    /// Received frames, as owned copies, in arrival order until the subscriber is disposed (throws
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled). Allocates a frame copy
    /// per frame: use the lending API on hot paths. One reader at a time.
    /// </summary>
    public async IAsyncEnumerable<ReceivedFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await _exchange.WaitToLendAsync(ct).ConfigureAwait(false))
        {
            while (_exchange.TryLend(out FrameLoan loan))
            {
                yield return Copy(loan);
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the next frame, as an owned copy; null when none arrived or the subscriber stopped.</summary>
    public async ValueTask<ReceivedFrame?> TryReadAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await ReceiveAsync(cts.Token).ConfigureAwait(false) is { } loan ? Copy(loan) : null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Throws <see cref="FrameLoanLeakException"/> when frames are on loan, naming each and — with
    /// <see cref="SubscriberOptions.Diagnostics"/> — the stack that received it. For tests and shutdown checks.
    /// </summary>
    public void AssertNoLeaks() => _exchange.AssertNoLeaks();

    /// <summary>Stops receiving. With <see cref="SubscriberOptions.Diagnostics"/>, then fails on loans never returned.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _stopping = true;
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        if (_options.Diagnostics)
        {
            _exchange.AssertNoLeaks();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static ReceivedFrame Copy(FrameLoan loan)
    {
        using (loan)
        {
            return loan.ToReceivedFrame();
        }
    }

    private static SubscriberSocket Connect(SubscriberOptions options)
    {
        // Read before the socket exists, so a bad key file (a configuration error) leaves nothing to dispose.
        byte[]? serverKey = options.ServerKey is { } path ? CurveKeyFile.ReadPublic(path, "--server-key") : null;
        var socket = new SubscriberSocket();
        try
        {
            socket.Options.ReceiveHighWatermark = options.ReceiveHighWaterMark;
            socket.Options.Linger = TimeSpan.Zero;
            // ZeroMQ refuses (and disconnects) a peer sending a larger message before buffering it.
            socket.Options.MaxMsgSize = options.Limits.EffectiveMaxMessageBytes;
            if (serverKey is not null)
            {
                socket.Options.CurveServerKey = serverKey;
                // The client's own pair is throw-away: the publisher authenticates nobody by key (docs/security.md).
                socket.Options.CurveCertificate = new NetMQCertificate();
            }
            socket.Connect(options.Endpoint);
            // One subscription per kind, so images travel only to subscribers that asked for them.
            string stream = options.Stream ?? "";
            socket.Subscribe(WireFormat.FrameTopicPrefix + stream);
            socket.Subscribe(WireFormat.MetaTopicPrefix + stream);
            socket.Subscribe(WireFormat.EndTopicPrefix + stream);
            if (options.ReceiveImages)
            {
                socket.Subscribe(WireFormat.ImageTopicPrefix + stream);
            }
            return socket;
        }
        catch (Exception e) when (e is NetMQException or SocketException or ArgumentException)
        {
            socket.Dispose();
            throw new SourceUnavailableException(options.Endpoint, "subscriber cannot connect: " + e.Message, e);
        }
    }

    private void RaiseCategoriesReceived(CategoryTableMessage message) => CategoriesReceived?.Invoke(message);

    private void RaiseStreamEnded(StreamEndMessage message) => StreamEnded?.Invoke(message);

    private void RaiseMessageReceived(WireMessageKind kind, ReadOnlySpan<byte> stream, ReadOnlyMemory<byte> payload) => MessageReceived?.Invoke(kind, stream, payload);

    private void RaiseImageReceived(in ImageHeader header, ReadOnlyMemory<byte> jpeg) => ImageReceived?.Invoke(header, jpeg);

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
                _receiver.DeliverExpiredHeldFrames();
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
                _receiver.OnMessage(topic.Slice(), payload.SliceAsMemory());
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
            _receiver.DeliverAllHeldFrames();
            _exchange.Complete(failure);
            if (failure is null)
            {
                _completion.TrySetResult();
            }
            else
            {
                _completion.TrySetException(failure);
            }
        }
    }

    /// <summary>Returns a received part's (pooled) buffer and makes the Msg ready for the next receive.</summary>
    private static bool Recycle(ref Msg msg)
    {
        msg.Close();
        msg.InitEmpty();
        return true;
    }
}
