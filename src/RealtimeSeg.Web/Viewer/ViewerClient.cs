using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace RealtimeSeg.Web.Viewer;

/// <summary>
/// One browser on the viewer's WebSocket. It is sent each stream's newest frame at the browser's own pace: per stream
/// one packet waits (a newer one replaces it — latest wins, the replaced one counted in <see cref="FramesSkipped"/>),
/// and a packet is sent only while the browser has credit: it starts with <see cref="MaxFramesInFlight"/> and earns one
/// back per frame it acknowledges after drawing. So a slow or stalled browser costs one waiting packet per stream and
/// nothing else: the hub never waits for it, and neither do the pipeline or the other clients.
/// <para>Browser → server text messages: <c>a</c> (one frame handled: one credit back), <c>s *</c> (send every stream),
/// <c>s -</c> (send none: paused), <c>s 0,2</c> (these stream indices only; up to 64 streams).</para>
/// <para>Threads: <see cref="Offer"/> runs on the hub's publisher (the viewer sink's loop); the send and receive loops
/// are async on the thread pool. The waiting packets, credits and selection are under one lock.</para>
/// </summary>
internal sealed class ViewerClient
{
    /// <summary>Frames sent but not yet acknowledged, at most.</summary>
    public const int MaxFramesInFlight = 2;

    private readonly WebSocket _socket;
    private readonly ViewerHub _hub;
    private readonly Lock _gate = new();

    // Auto-reset wake-up of the send loop: a one-slot channel that drops extra writes. Waiting on it without a token
    // lets the channel reuse its waiter, so waking the loop allocates nothing.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    private ViewerPacket?[] _waiting = new ViewerPacket?[4];
    private int _credits = MaxFramesInFlight;
    private int _next;
    private bool _all = true;
    private ulong _selected;
    private bool _closed;
    private volatile bool _metaDue = true;
    private volatile bool _statsDue;
    private long _sent;
    private long _skipped;

    public ViewerClient(WebSocket socket, ViewerHub hub)
    {
        _socket = socket;
        _hub = hub;
    }

    /// <summary>Frames sent to this browser.</summary>
    public long FramesSent => Interlocked.Read(ref _sent);

    /// <summary>Frames this browser never got because a newer frame of the same stream replaced them while they waited.</summary>
    public long FramesSkipped => Interlocked.Read(ref _skipped);

    /// <summary>Keeps <paramref name="packet"/> (a reference of its own) as its stream's newest frame for this browser, if it shows that stream.</summary>
    public void Offer(ViewerPacket packet)
    {
        ViewerPacket? replaced;
        lock (_gate)
        {
            int stream = packet.StreamIndex;
            if (_closed || !IsSelected(stream))
            {
                return;
            }
            if (stream >= _waiting.Length)
            {
                Array.Resize(ref _waiting, Math.Max(stream + 1, _waiting.Length * 2));
            }
            replaced = _waiting[stream];
            packet.AddRef();
            _waiting[stream] = packet;
        }
        if (replaced is not null)
        {
            replaced.Release();
            Interlocked.Increment(ref _skipped);
            _hub.CountSkipped();
        }
        Wake();
    }

    /// <summary>The stream list changed: the browser gets the new meta message before its next frame.</summary>
    public void RequestMeta()
    {
        _metaDue = true;
        Wake();
    }

    /// <summary>Time for the periodic figures (stream states, drops, this client's counts).</summary>
    public void RequestStats()
    {
        _statsDue = true;
        Wake();
    }

    /// <summary>Serves the browser until it leaves, the connection fails or <paramref name="ct"/> (the server stopping).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        Task sending = SendLoopAsync(ct);
        Task receiving = ReceiveLoopAsync(ct);
        await Task.WhenAny(sending, receiving).ConfigureAwait(false);
        Close();
        // A send blocked on a browser that stopped reading returns only when the connection goes.
        _socket.Abort();
        await Observe(sending).ConfigureAwait(false);
        await Observe(receiving).ConfigureAwait(false);
    }

    [SuppressMessage("Design", "CA1031", Justification = "A browser that goes away mid-send or mid-receive ends its client and nothing else.")]
    private static async Task Observe(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection failed or was aborted: the client is over either way.
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private bool IsSelected(int stream) => _all || (stream < 64 && (_selected & (1UL << stream)) != 0);

    private async Task SendLoopAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_metaDue)
            {
                _metaDue = false;
                await _socket.SendAsync(_hub.MetaJson, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            }
            if (_statsDue)
            {
                _statsDue = false;
                await _socket.SendAsync(_hub.StatsJson(this), WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            }
            while (TryTakeNext(out ViewerPacket? packet))
            {
                try
                {
                    await _socket.SendAsync(packet.Memory, WebSocketMessageType.Binary, endOfMessage: true, ct).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                    _hub.CountSent(packet.Length);
                }
                finally
                {
                    packet.Release();
                }
                if (_metaDue || _statsDue)
                {
                    break;
                }
            }
            if (_metaDue || _statsDue)
            {
                continue;
            }
            if (!await _wake.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                return;
            }
            _wake.Reader.TryRead(out _);
        }
    }

    /// <summary>The next waiting packet, streams taken in turn, while the browser has credit.</summary>
    private bool TryTakeNext([NotNullWhen(true)] out ViewerPacket? packet)
    {
        lock (_gate)
        {
            packet = null;
            if (_closed || _credits <= 0)
            {
                return false;
            }
            for (int i = 0; i < _waiting.Length; i++)
            {
                int s = (_next + i) % _waiting.Length;
                if (_waiting[s] is { } p)
                {
                    _waiting[s] = null;
                    _next = s + 1;
                    _credits--;
                    packet = p;
                    return true;
                }
            }
            return false;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        byte[] buffer = new byte[1024];
        while (true)
        {
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
                }
                return;
            }
            if (!result.EndOfMessage)
            {
                // Nothing the browser sends is this long: skip the rest of the message.
                while (!(await _socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false)).EndOfMessage)
                {
                }
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Text)
            {
                Handle(buffer.AsSpan(0, result.Count));
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        if (message.Length == 1 && message[0] == (byte)'a')
        {
            lock (_gate)
            {
                if (_credits < MaxFramesInFlight)
                {
                    _credits++;
                }
            }
            Wake();
            return;
        }
        if (message.Length >= 3 && message[0] == (byte)'s' && message[1] == (byte)' ')
        {
            Select(message[2..]);
        }
        // Anything else is ignored: a newer page may send what this server does not know.
    }

    private void Select(ReadOnlySpan<byte> list)
    {
        bool all = list.Length == 1 && list[0] == (byte)'*';
        ulong mask = 0;
        if (!all && !(list.Length == 1 && list[0] == (byte)'-'))
        {
            int value = -1;
            foreach (byte b in list)
            {
                if (b is >= (byte)'0' and <= (byte)'9')
                {
                    value = (Math.Max(value, 0) * 10) + (b - '0');
                    continue;
                }
                mask |= value is >= 0 and < 64 ? 1UL << value : 0;
                value = -1;
            }
            mask |= value is >= 0 and < 64 ? 1UL << value : 0;
        }
        var dropped = new List<ViewerPacket>();
        lock (_gate)
        {
            _all = all;
            _selected = mask;
            for (int s = 0; s < _waiting.Length; s++)
            {
                if (_waiting[s] is { } p && !IsSelected(s))
                {
                    _waiting[s] = null;
                    dropped.Add(p);
                }
            }
        }
        foreach (ViewerPacket p in dropped)
        {
            p.Release();
        }
        Wake();
    }

    /// <summary>No more frames: releases what waits and ends the send loop.</summary>
    private void Close()
    {
        ViewerPacket?[] waiting;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            waiting = _waiting;
            _waiting = [];
        }
        foreach (ViewerPacket? p in waiting)
        {
            p?.Release();
        }
        _wake.Writer.TryComplete();
    }
}
