using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Transport;

namespace RealtimeSeg.Publishing;

/// <summary>
/// Publishes panoptic frames over ZeroMQ as described in docs/protocol.md: an XPUB socket, two-part messages
/// [topic, MessagePack payload], topics <c>rseg/frame/&lt;stream&gt;</c> and <c>rseg/meta/&lt;stream&gt;</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threading.</b> NetMQ sockets are not thread-safe, so the socket lives on one dedicated thread started by
/// <see cref="RunAsync"/>; everything that touches it (sending frames and meta, reading subscriptions) happens
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
/// <b>Frame ownership.</b> Every frame read from the channel is owned by the publisher until it calls
/// <c>release(frame)</c>, exactly once, after sending (or failing to). On shutdown, frames still in the channel
/// are drained and released too, so a diagnostic pool sees no leak.
/// </para>
/// <para>
/// <b>Allocation.</b> Per frame, our code allocates nothing: serialization into a reused buffer, the topic part
/// sent from a constant array, subscription polling and the idle wait on the channel are all allocation-free.
/// NetMQ allocates a 24-byte reference counter for the pooled payload part, and now and then a chunk of its
/// internal queues (24–38 B per frame on average with a subscriber that keeps up; more while ZeroMQ is dropping
/// for a slow subscriber). Creating a publisher installs <see cref="ArrayPool{T}.Shared"/> as NetMQ's
/// process-wide buffer pool, without which NetMQ would allocate a new array the size of every payload.
/// </para>
/// </remarks>
public sealed class ZeroMqPublisher : IAsyncDisposable
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly PublisherOptions _options;
    private readonly IPipelineLog _log;
    private readonly PanopticFrameSerializer _serializer;
    private readonly ArrayBufferWriter<byte> _payload = new(64 * 1024);
    private readonly List<PublisherStream?> _streams = [];
    // Not disposed on purpose: a channel wait abandoned at shutdown may still Set it later from the thread pool.
    private readonly ManualResetEventSlim _wake = new(initialState: false);
    private readonly Action _wakeAction;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
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
        _endpoint = options.Endpoint;
        _serializer = new PanopticFrameSerializer(options.MapEncoding);
        _wakeAction = _wake.Set;
        SharedArrayBufferPool.Install();
    }

    /// <summary>The endpoint the socket is bound to; with a wildcard port, the actual port once <see cref="Ready"/> has completed.</summary>
    public string Endpoint => Volatile.Read(ref _endpoint);

    /// <summary>Completes when the socket is bound (subscribers may connect), or faults like <see cref="RunAsync"/> when binding fails.</summary>
    public Task Ready => _ready.Task;

    public long FramesPublished => Interlocked.Read(ref _published);

    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Subscription messages seen (one per topic prefix a subscriber asks for; repeats included).</summary>
    public long SubscriptionsReceived => Interlocked.Read(ref _subscriptions);

    /// <summary>Meta (category table) messages sent: on subscriptions and periodically.</summary>
    public long MetaMessagesSent => Interlocked.Read(ref _metaSent);

    /// <summary>Bytes allocated so far by the publisher thread, sampled after each frame (for allocation tests and stats).</summary>
    internal long ThreadAllocatedBytes => Volatile.Read(ref _threadAllocatedBytes);

    /// <summary>
    /// Called on the publisher thread after each frame was handed to ZeroMQ, before it is released, with the
    /// monotonic nanoseconds spent serializing and sending it. Must be quick and must not allocate (it runs on
    /// the hot path); e.g. record into a pre-allocated histogram.
    /// </summary>
    public Action<PanopticFrame, long>? OnPublished { get; set; }

    /// <summary>Registers a stream and the category table its frames refer to. Only before <see cref="RunAsync"/>.</summary>
    public void AddStream(int streamIndex, string streamName, CategoryTable categories)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(streamIndex, 1023);
        ArgumentNullException.ThrowIfNull(categories);
        WireFormat.ThrowIfInvalidStreamName(streamName);
        if (_run is not null)
        {
            throw new InvalidOperationException("streams must be added before RunAsync starts the publisher");
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
    /// Binds the socket and publishes frames from <paramref name="frames"/> on a dedicated thread until the
    /// channel completes (the task completes) or <paramref name="ct"/> is cancelled (the task is cancelled).
    /// Each frame is stamped <see cref="PipelineStage.Published"/>, serialized, sent and then passed to
    /// <paramref name="release"/>. A bind failure faults the task with <see cref="SourceUnavailableException"/>
    /// naming the endpoint (exit code 3, like any endpoint the pipeline cannot open).
    /// </summary>
    public Task RunAsync(ChannelReader<PanopticFrame> frames, Action<PanopticFrame> release, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(release);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _run, completion.Task, null) is not null)
        {
            throw new InvalidOperationException("RunAsync may be called only once per publisher");
        }
        var thread = new Thread(() => ThreadMain(frames, release, completion, ct))
        {
            IsBackground = true,
            Name = "rseg-publisher",
        };
        thread.Start();
        return completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Set();
        if (_run is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The caller of RunAsync observes the outcome; disposal only waits for the thread to finish.
            }
        }
        _stop.Dispose();
    }

    private void ThreadMain(ChannelReader<PanopticFrame> frames, Action<PanopticFrame> release, TaskCompletionSource completion, CancellationToken ct)
    {
        XPublisherSocket? socket = null;
        CancellationTokenRegistration onCancel = default;
        bool completed = false;
        Exception? failure = null;
        try
        {
            socket = Bind();
            onCancel = ct.UnsafeRegister(static state => ((ManualResetEventSlim)state!).Set(), _wake);
            completed = Pump(socket, frames, release, ct);
            _log.Info($"publisher on {Endpoint} stopped: {FramesPublished} frames published, {FramesDropped} dropped, {MetaMessagesSent} meta messages");
        }
        catch (Exception e)
        {
            failure = e;
            _ready.TrySetException(e);
        }
        finally
        {
            onCancel.Dispose();
            // Release what is left before the task completes, so whoever awaits it sees every frame returned.
            DrainAndRelease(frames, release);
            socket?.Dispose();
            if (failure is not null)
            {
                completion.TrySetException(failure);
            }
            else if (completed)
            {
                completion.TrySetResult();
            }
            else
            {
                completion.TrySetCanceled(ct.IsCancellationRequested ? ct : _stop.Token);
            }
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
            throw new SourceUnavailableException(_options.Endpoint, "publisher cannot bind: " + reason, e);
        }
        Volatile.Write(ref _endpoint, socket.Options.LastEndpoint ?? _options.Endpoint);
        _log.Info($"publishing on {Endpoint} (send high-water mark {_options.SendHighWaterMark}, {_options.MapEncoding})");
        _ready.TrySetResult();
        return socket;
    }

    /// <summary>The socket thread's loop. Returns true when the channel completed, false when stopped.</summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly",
        Justification = "A dedicated thread cannot await: the pending wait is kept across iterations, observed once through a continuation, and its result read only after IsCompleted.")]
    private bool Pump(XPublisherSocket socket, ChannelReader<PanopticFrame> frames, Action<PanopticFrame> release, CancellationToken ct)
    {
        long metaIntervalNs = (long)(_options.MetaInterval.TotalMilliseconds * 1_000_000);
        long nextMetaNs = MonotonicClock.NowNs() + metaIntervalNs;
        ValueTask<bool> pending = default;
        bool waiting = false;
        while (true)
        {
            // Reset before looking at any source, so a Set racing with the checks below is never lost.
            _wake.Reset();
            // Checked per frame too: a source that never pauses must not keep a cancelled publisher alive.
            while (!ct.IsCancellationRequested && !_stop.IsCancellationRequested && frames.TryRead(out PanopticFrame? frame))
            {
                // Before each frame: a subscription that has just arrived gets its table ahead of the frame.
                ServeSubscriptions(socket);
                Publish(socket, frame, release);
                Volatile.Write(ref _threadAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            }
            ServeSubscriptions(socket);
            long now = MonotonicClock.NowNs();
            if (now >= nextMetaNs)
            {
                SendAllMeta(socket);
                nextMetaNs = now + metaIntervalNs;
            }
            if (ct.IsCancellationRequested || _stop.IsCancellationRequested)
            {
                return false;
            }
            if (!waiting)
            {
                // CancellationToken.None keeps the channel on its reusable waiter (a cancellable wait allocates);
                // cancellation reaches this thread through _wake instead.
                pending = frames.WaitToReadAsync(CancellationToken.None);
                waiting = true;
                if (!pending.IsCompleted)
                {
                    pending.GetAwaiter().UnsafeOnCompleted(_wakeAction);
                }
            }
            if (pending.IsCompleted)
            {
                waiting = false;
                // Throws the writer's exception when the channel was completed with one: the stage faults with it.
                if (!pending.GetAwaiter().GetResult())
                {
                    return true;
                }
                continue;
            }
            // Cancellation arrives as a Set of _wake (registered in ThreadMain), so no token is passed here.
            _wake.Wait(_options.SubscriptionPollInterval, CancellationToken.None);
        }
    }

    private void Publish(XPublisherSocket socket, PanopticFrame frame, Action<PanopticFrame> release)
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
            // The registered name is the one in the topic; the payload must agree with it.
            frame.StreamName = stream.Name;
            long start = MonotonicClock.NowNs();
            frame.Stamp(PipelineStage.Published, start);
            _payload.ResetWrittenCount();
            _serializer.Write(_payload, frame);
            if (TrySendMessage(socket, stream.FrameTopic, _payload.WrittenSpan))
            {
                Interlocked.Increment(ref _published);
                OnPublished?.Invoke(frame, MonotonicClock.NowNs() - start);
            }
            else
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        finally
        {
            release(frame);
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

    private static void DrainAndRelease(ChannelReader<PanopticFrame> frames, Action<PanopticFrame> release)
    {
        while (frames.TryRead(out PanopticFrame? frame))
        {
            release(frame);
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
}
