using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;
using RealtimeSeg.Transport;

namespace RealtimeSeg.Publishing;

/// <summary>
/// The ZeroMQ sink: publishes composed frames' wire messages (docs/protocol.md) on an XPUB socket as two-part messages
/// [topic, MessagePack payload], topics <c>rseg/frame/&lt;stream&gt;</c> and <c>rseg/meta/&lt;stream&gt;</c>.
/// The message is encoded once by the pipeline's encode stage; this sink only sends it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threading.</b> NetMQ sockets are not thread-safe, so the socket lives on one dedicated thread started by
/// <see cref="StartAsync"/> (which binds, so subscribers may connect before the first frame);
/// everything that touches it (sending frames and meta, reading subscriptions) happens
/// there. The thread blocks on the frame channel when idle, waking at least every
/// <see cref="PublisherOptions.SubscriptionPollInterval"/> to answer new subscriptions with the category tables.
/// </para>
/// <para>
/// <b>Never blocks the pipeline.</b> Sends use a zero timeout; XPUB drops messages for a subscriber whose queue
/// (<see cref="PublisherOptions.SendHighWaterMark"/>) is full, per subscriber, without telling the sender.
/// <see cref="FramesPublished"/> counts frames handed to ZeroMQ; <see cref="FramesDropped"/> counts frames
/// that could not be handed over at all (a refused send, or a frame of an unregistered stream).
/// Subscribers see per-subscriber drops as gaps in <c>seq</c>.
/// </para>
/// <para>
/// <b>Frame ownership.</b> Every frame read from the channel holds one reference for the publisher, which it releases
/// exactly once, after sending (or failing to). On shutdown, frames still in the channel are drained and released
/// too, so a diagnostic pool sees no leak.
/// </para>
/// <para>
/// <b>Allocation.</b> Per frame, our code allocates nothing: the topic part sent from a constant array, subscription polling and the idle wait on the channel are all allocation-free.
/// NetMQ allocates a 24-byte reference counter for the pooled payload part, and now and then a chunk of its
/// internal queues (24–38 B per frame on average with a subscriber that keeps up; more while ZeroMQ is dropping
/// for a slow subscriber). Creating a publisher installs <see cref="ArrayPool{T}.Shared"/> as NetMQ's
/// process-wide buffer pool, without which NetMQ would allocate a new array the size of every payload.
/// </para>
/// </remarks>
public sealed class ZeroMqPublisher : IFrameSink
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    /// <summary>Subscriptions are a topic prefix of a few dozen bytes: anything longer from a peer is refused by ZeroMQ.</summary>
    private const long MaxInboundMessageBytes = 4096;

    private readonly PublisherOptions _options;
    private readonly IPipelineLog _log;
    private readonly NetMQCertificate? _curve;
    private readonly List<PublisherStream?> _streams = [];
    // Not disposed on purpose: a channel wait abandoned at shutdown may still Set it later from the thread pool.
    private readonly ManualResetEventSlim _wake = new(initialState: false);
    private readonly Action _wakeAction;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstSubscription = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Completed (and replaced) at each subscription message, after <see cref="_subscriptions"/> counts it.</summary>
    private TaskCompletionSource _subscriptionArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _threadDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _pumpGate = new();
    private Thread? _thread;
    private Pump? _pump;
    private bool _threadEnded;
    private string _endpoint;
    private long _published;
    private long _dropped;
    private long _metaSent;
    private long _subscriptions;
    private bool _warnedUnknownStream;
    private long _threadAllocatedBytes;
    private int _disposed;

    public ZeroMqPublisher(PublisherOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        _options = options;
        _log = log;
        // Read here, not on the socket thread, so a bad key file is a configuration error before anything starts.
        _curve = options.CurveSecret is { } secret ? CurveKeyFile.ReadSecret(secret, "publish.curve_secret") : null;
        _endpoint = options.Endpoint;
        _wakeAction = _wake.Set;
        SharedArrayBufferPool.Install();
    }

    /// <summary>The endpoint the socket is bound to; with a wildcard port, the actual port once <see cref="Ready"/> has completed.</summary>
    public string Endpoint => Volatile.Read(ref _endpoint);

    public string Name => "zeromq";

    /// <summary>True when the socket is a CURVE server (<see cref="PublisherOptions.CurveSecret"/>).</summary>
    public bool IsAuthenticated => _curve is not null;

    /// <summary>Why this publisher is exposed (plaintext beyond loopback with --insecure), or null; for the stats.</summary>
    public string? SecurityWarning => _options.SecurityWarning;

    /// <summary>Frames waiting for the socket thread; small, since a publisher that is behind should send fresh frames.</summary>
    public int QueueCapacity => 4;

    /// <summary>Completes when the socket is bound (subscribers may connect), or faults with the bind failure.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the first subscription has arrived (for <c>wait_for_subscriber</c>).</summary>
    public Task FirstSubscription => _firstSubscription.Task;

    public long FramesPublished => Interlocked.Read(ref _published);

    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Subscription messages seen (one per topic prefix a subscriber asks for; repeats included).</summary>
    public long SubscriptionsReceived => Interlocked.Read(ref _subscriptions);

    /// <summary>
    /// Completes once <paramref name="count"/> subscription messages have arrived (a subscriber sends one per topic prefix
    /// it asks for). ZeroMQ applies a subscription before it hands it to us, so every frame sent afterwards passes that
    /// subscriber's filter; frames sent earlier are not seen by it (the "slow joiner").
    /// </summary>
    public async Task WaitForSubscriptionsAsync(long count, CancellationToken ct)
    {
        while (true)
        {
            // Taken before the count is read: a subscription counted after this read completes this task.
            Task arrived = Volatile.Read(ref _subscriptionArrived).Task;
            if (SubscriptionsReceived >= count)
            {
                return;
            }
            await arrived.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Meta (category table) messages sent: on subscriptions and periodically.</summary>
    public long MetaMessagesSent => Interlocked.Read(ref _metaSent);

    /// <summary>Bytes allocated so far by the publisher thread, sampled after each frame (for allocation tests and stats).</summary>
    internal long ThreadAllocatedBytes => Volatile.Read(ref _threadAllocatedBytes);

    /// <summary>Registers a stream and the category table its frames refer to. Only before <see cref="StartAsync"/>.</summary>
    public void AddStream(int streamIndex, string streamName, CategoryTable categories)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(streamIndex, 1023);
        ArgumentNullException.ThrowIfNull(categories);
        WireFormat.ThrowIfInvalidStreamName(streamName);
        if (_thread is not null)
        {
            throw new InvalidOperationException("streams must be added before StartAsync starts the publisher");
        }
        while (_streams.Count <= streamIndex)
        {
            _streams.Add(null);
        }
        if (_streams[streamIndex] is { } existing)
        {
            throw new ArgumentException($"stream index {streamIndex} is already registered as '{existing.Name}'", nameof(streamIndex));
        }
        foreach (PublisherStream? s in _streams)
        {
            if (s is not null && s.Name == streamName)
            {
                throw new ArgumentException($"stream name '{streamName}' is already registered for index {s.Index}", nameof(streamName));
            }
        }
        _streams[streamIndex] = new PublisherStream(streamIndex, streamName, categories);
    }

    /// <summary>
    /// Registers the run's streams (those not added with <see cref="AddStream"/> already), starts the socket thread and
    /// waits until the socket is bound. A bind failure throws <see cref="SourceUnavailableException"/> naming the endpoint
    /// (exit code 3, like any endpoint the pipeline cannot open).
    /// </summary>
    public async Task StartAsync(SinkContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (SinkStream stream in context.Streams)
        {
            if (stream.Index >= _streams.Count || _streams[stream.Index] is null)
            {
                AddStream(stream.Index, stream.Name, context.Categories);
            }
        }
        Start();
        await _ready.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Starts the socket thread (binding on it); <see cref="Ready"/> tells when it is bound. Idempotent.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var thread = new Thread(ThreadMain) { IsBackground = true, Name = "rseg-publisher" };
        if (Interlocked.CompareExchange(ref _thread, thread, null) is null)
        {
            thread.Start();
        }
    }

    /// <summary>
    /// Publishes frames from <paramref name="frames"/> on the socket thread until the channel completes (the task
    /// completes) or <paramref name="ct"/> is cancelled (the task is cancelled); each frame's reference is released after
    /// sending. Starts the thread if <see cref="StartAsync"/> did not. Once per publisher.
    /// </summary>
    public Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var pump = new Pump(frames, ct);
        bool threadEnded;
        lock (_pumpGate)
        {
            if (_pump is not null)
            {
                throw new InvalidOperationException("RunAsync may be called only once per publisher");
            }
            Volatile.Write(ref _pump, pump);
            threadEnded = _threadEnded;
        }
        if (threadEnded)
        {
            // The thread already ended (its bind failed, or the publisher was disposed): nothing will be sent.
            DrainAndRelease(frames);
            if (_ready.Task.Exception?.InnerException is { } bindFailure)
            {
                pump.Completion.TrySetException(bindFailure);
            }
            else
            {
                pump.Completion.TrySetCanceled(ct);
            }
            return pump.Completion.Task;
        }
        pump.Registration = ct.UnsafeRegister(static state => ((ManualResetEventSlim)state!).Set(), _wake);
        Start();
        _wake.Set();
        return pump.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Set();
        if (Volatile.Read(ref _thread) is not null)
        {
            await _threadDone.Task.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private void ThreadMain()
    {
        XPublisherSocket? socket = null;
        Exception? failure = null;
        bool completed = false;
        try
        {
            socket = Bind();
            completed = PumpLoop(socket);
            _log.Info($"publisher on {Endpoint} stopped: {FramesPublished} frames published, {FramesDropped} dropped, {MetaMessagesSent} meta messages");
        }
        catch (Exception e)
        {
            failure = e;
            _ready.TrySetException(e);
        }
        finally
        {
            Pump? pump;
            lock (_pumpGate)
            {
                _threadEnded = true;
                pump = _pump;
            }
            if (pump is not null)
            {
                pump.Registration.Dispose();
                // Release what is left before the task completes, so whoever awaits it sees every frame returned.
                DrainAndRelease(pump.Frames);
                if (failure is not null)
                {
                    pump.Completion.TrySetException(failure);
                }
                else if (completed)
                {
                    pump.Completion.TrySetResult();
                }
                else
                {
                    pump.Completion.TrySetCanceled(pump.Token.IsCancellationRequested ? pump.Token : _stop.Token);
                }
            }
            socket?.Dispose();
            _threadDone.TrySetResult();
        }
    }

    private XPublisherSocket Bind()
    {
        var socket = new XPublisherSocket();
        try
        {
            socket.Options.SendHighWatermark = _options.SendHighWaterMark;
            // Verbose: every subscription reaches us, not only the first per topic, so each late joiner gets the table.
            socket.Options.XPubVerbose = true;
            socket.Options.Linger = Linger;
            socket.Options.MaxMsgSize = MaxInboundMessageBytes;
            if (_curve is not null)
            {
                socket.Options.CurveServer = true;
                socket.Options.CurveCertificate = _curve;
            }
            socket.Bind(_options.Endpoint);
        }
        catch (Exception e) when (e is NetMQException or SocketException or ArgumentException)
        {
            socket.Dispose();
            string reason = e switch
            {
                AddressAlreadyInUseException => "address already in use (another publisher on this port?)",
                ProtocolNotSupportedException => "transport not supported",
                _ => e.Message,
            };
            throw SourceUnavailableException.Endpoint(_options.Endpoint, "the publisher cannot bind it: " + reason, e);
        }
        Volatile.Write(ref _endpoint, socket.Options.LastEndpoint ?? _options.Endpoint);
        _log.Info($"publishing on {Endpoint} (send high-water mark {_options.SendHighWaterMark}, {_options.MapEncoding}, {(_curve is null ? "plaintext" : "CURVE: subscribers need the server's public key")})");
        if (_options.SecurityWarning is { } warning)
        {
            _log.Warn(warning);
        }
        _ready.TrySetResult();
        return socket;
    }

    /// <summary>
    /// The socket thread's loop: serves subscriptions (and the periodic meta) from the start, and frames once
    /// <see cref="RunAsync"/> has handed over a channel. Returns true when the channel completed, false when stopped.
    /// </summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly",
        Justification = "A dedicated thread cannot await: the pending wait is kept across iterations, observed once through a continuation, and its result read only after IsCompleted.")]
    private bool PumpLoop(XPublisherSocket socket)
    {
        long metaIntervalNs = (long)(_options.MetaInterval.TotalMilliseconds * 1_000_000);
        long nextMetaNs = MonotonicClock.NowNs() + metaIntervalNs;
        ValueTask<bool> pending = default;
        bool waiting = false;
        while (true)
        {
            // Reset before looking at any source, so a Set racing with the checks below is never lost.
            _wake.Reset();
            Pump? pump = Volatile.Read(ref _pump);
            // Checked per frame too: a source that never pauses must not keep a cancelled publisher alive.
            while (pump is not null && !Stopping(pump) && pump.Frames.TryRead(out ComposedFrame? frame))
            {
                // Before each frame: a subscription that has just arrived gets its table ahead of the frame.
                ServeSubscriptions(socket);
                Publish(socket, frame);
                Volatile.Write(ref _threadAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            }
            ServeSubscriptions(socket);
            long now = MonotonicClock.NowNs();
            if (now >= nextMetaNs)
            {
                SendAllMeta(socket);
                nextMetaNs = now + metaIntervalNs;
            }
            if (Stopping(pump))
            {
                return false;
            }
            if (pump is not null)
            {
                if (!waiting)
                {
                    // CancellationToken.None keeps the channel on its reusable waiter (a cancellable wait allocates);
                    // cancellation reaches this thread through _wake instead.
                    pending = pump.Frames.WaitToReadAsync(CancellationToken.None);
                    waiting = true;
                    if (!pending.IsCompleted)
                    {
                        pending.GetAwaiter().UnsafeOnCompleted(_wakeAction);
                    }
                }
                if (pending.IsCompleted)
                {
                    waiting = false;
                    // Throws the writer's exception when the channel was completed with one: the sink faults with it.
                    if (!pending.GetAwaiter().GetResult())
                    {
                        return true;
                    }
                    continue;
                }
            }
            // Cancellation arrives as a Set of _wake (registered in RunAsync), so no token is passed here.
            _wake.Wait(_options.SubscriptionPollInterval, CancellationToken.None);
        }
    }

    private bool Stopping(Pump? pump) => _stop.IsCancellationRequested || (pump is not null && pump.Token.IsCancellationRequested);

    private void Publish(XPublisherSocket socket, ComposedFrame frame)
    {
        try
        {
            int index = frame.StreamIndex;
            PublisherStream? stream = (uint)index < (uint)_streams.Count ? _streams[index] : null;
            if (stream is null)
            {
                Interlocked.Increment(ref _dropped);
                WarnUnknownStream(index);
                return;
            }
            if (frame.IsEndOfStream)
            {
                TrySendMessage(socket, stream.EndTopic, frame.Message.Span);
                return;
            }
            // The image first: a viewer that has it when the frame arrives can draw both at once.
            if (!frame.ImageMessage.IsEmpty)
            {
                TrySendMessage(socket, stream.ImageTopic, frame.ImageMessage.Span);
            }
            if (TrySendMessage(socket, stream.FrameTopic, frame.Message.Span))
            {
                Interlocked.Increment(ref _published);
            }
            else
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        finally
        {
            frame.Release();
            AssertInvariants();
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_published >= 0 && _dropped >= 0 && _metaSent >= 0);
        for (int i = 0; i < _streams.Count; i++)
        {
            Debug.Assert(_streams[i] is null || _streams[i]!.Index == i, "streams are stored at their own index");
        }
    }

    /// <summary>Answers subscriptions that cover a stream's meta topic with that stream's table, at once.</summary>
    private void ServeSubscriptions(XPublisherSocket socket)
    {
        var msg = new Msg();
        msg.InitEmpty();
        while (socket.TryReceive(ref msg, TimeSpan.Zero))
        {
            ReadOnlySpan<byte> data = msg.Slice();
            // XPUB delivers subscriptions as 0x01 + prefix and unsubscriptions as 0x00 + prefix.
            if (data.Length >= 1 && data[0] == 1)
            {
                Interlocked.Increment(ref _subscriptions);
                _firstSubscription.TrySetResult();
                Interlocked.Exchange(ref _subscriptionArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
                ReadOnlySpan<byte> prefix = data[1..];
                foreach (PublisherStream? stream in _streams)
                {
                    if (stream is not null && stream.MetaTopic.AsSpan().StartsWith(prefix))
                    {
                        SendMeta(socket, stream);
                    }
                }
            }
            msg.Close();
            msg.InitEmpty();
        }
        msg.Close();
    }

    private void SendAllMeta(XPublisherSocket socket)
    {
        foreach (PublisherStream? stream in _streams)
        {
            if (stream is not null)
            {
                SendMeta(socket, stream);
            }
        }
    }

    private void SendMeta(XPublisherSocket socket, PublisherStream stream)
    {
        var topic = new Msg();
        topic.InitGC(stream.MetaTopic, stream.MetaTopic.Length);
        bool sent = socket.TrySend(ref topic, TimeSpan.Zero, more: true);
        topic.Close();
        if (!sent)
        {
            return;
        }
        // The meta payload array is immutable, so ZeroMQ may keep referencing it without a copy.
        var payload = new Msg();
        payload.InitGC(stream.MetaPayload, stream.MetaPayload.Length);
        sent = socket.TrySend(ref payload, TimeSpan.Zero, more: false);
        payload.Close();
        if (sent)
        {
            Interlocked.Increment(ref _metaSent);
        }
    }

    private static bool TrySendMessage(XPublisherSocket socket, byte[] topic, ReadOnlySpan<byte> payload)
    {
        var msg = new Msg();
        msg.InitGC(topic, topic.Length);
        bool sent = socket.TrySend(ref msg, TimeSpan.Zero, more: true);
        msg.Close();
        if (!sent)
        {
            return false;
        }
        // The payload buffer is reused for the next frame, so ZeroMQ gets its own (pooled) copy.
        msg.InitPool(payload.Length);
        payload.CopyTo(msg.Slice());
        sent = socket.TrySend(ref msg, TimeSpan.Zero, more: false);
        msg.Close();
        Debug.Assert(sent, "XPUB accepts the last part once it has accepted the first");
        return sent;
    }

    private static void DrainAndRelease(ChannelReader<ComposedFrame> frames)
    {
        while (frames.TryRead(out ComposedFrame? frame))
        {
            frame.Release();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WarnUnknownStream(int index)
    {
        if (!_warnedUnknownStream)
        {
            _warnedUnknownStream = true;
            _log.Warn($"publisher dropped a frame of stream index {index}, which was never registered with AddStream (further such frames are dropped silently and counted)");
        }
    }

    /// <summary>The channel <see cref="RunAsync"/> handed over, its token and its outcome.</summary>
    private sealed class Pump(ChannelReader<ComposedFrame> frames, CancellationToken token)
    {
        public ChannelReader<ComposedFrame> Frames { get; } = frames;
        public CancellationToken Token { get; } = token;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
    }
}
