using System.Net.WebSockets;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Web.Health;

namespace RealtimeSeg.Web.Viewer;

/// <summary>
/// The live viewer's server side: every connected browser (<see cref="ViewerClient"/>) and the frames offered to them.
/// <see cref="Publish"/> builds one packet per frame — the JPEG and the wire message copied behind a small header
/// (<see cref="ViewerPacketLayout"/>) — and hands it to each client, which keeps only its newest frame per stream and
/// sends at the browser's pace. Publishing never waits for a browser; without a browser it returns at once.
/// <para>Text messages to the browser: the meta message (streams and their category tables; again whenever they
/// change) and, every second, the stats message (stream states and drops from the <see cref="IHealthSource"/>, this
/// client's sent and skipped frames). docs/viewer.md describes both.</para>
/// </summary>
public sealed class ViewerHub
{
    private readonly ViewerPacketPool _pool = new();
    private readonly Lock _gate = new();
    private volatile IHealthSource? _health;
    private ViewerClient[] _clients = [];
    private ViewerStreamInfo?[] _streams = [];
    private byte[] _metaJson = [];
    private long _framesSent;
    private long _framesSkipped;
    private long _bytesSent;
    private long _clientsServed;

    /// <param name="health">Where the per-stream figures of the stats message come from; null sends none.</param>
    public ViewerHub(IHealthSource? health = null)
    {
        _health = health;
        _metaJson = BuildMeta([]);
    }

    /// <summary>Where the per-stream figures of the stats message come from (set once, before browsers connect, when it is made after the hub).</summary>
    public IHealthSource? Health
    {
        get => _health;
        set => _health = value;
    }

    /// <summary>Browsers connected now.</summary>
    public int ClientCount => Volatile.Read(ref _clients).Length;

    /// <summary>Browsers that have connected since the start.</summary>
    public long ClientsServed => Interlocked.Read(ref _clientsServed);

    /// <summary>Frames sent to browsers, summed over them.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Frames a browser never got because a newer one of the same stream replaced it while it waited (it was slower than the stream).</summary>
    public long FramesSkipped => Interlocked.Read(ref _framesSkipped);

    /// <summary>Bytes of frame packets sent to browsers.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Packets out of the pool now (waiting in clients or being sent); for tests.</summary>
    internal int PacketsOutstanding => _pool.Outstanding;

    internal byte[] MetaJson => Volatile.Read(ref _metaJson);

    /// <summary>Names or renames stream <paramref name="index"/> (its index in frame packets) and its category table; browsers get the new meta message.</summary>
    public void SetStream(int index, ViewerStreamInfo stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, ushort.MaxValue);
        ArgumentNullException.ThrowIfNull(stream);
        ViewerClient[] clients;
        lock (_gate)
        {
            if (index >= _streams.Length)
            {
                Array.Resize(ref _streams, index + 1);
            }
            if (_streams[index] == stream)
            {
                return;
            }
            _streams[index] = stream;
            Volatile.Write(ref _metaJson, BuildMeta(_streams));
            clients = _clients;
        }
        foreach (ViewerClient c in clients)
        {
            c.RequestMeta();
        }
    }

    /// <summary>
    /// Offers one frame of stream <paramref name="streamIndex"/> to every browser: its camera image (may be empty) and its
    /// wire message (docs/protocol.md §3). The bytes are copied once; the spans may be reused as soon as this returns.
    /// </summary>
    public void Publish(int streamIndex, ReadOnlySpan<byte> jpeg, int jpegWidth, int jpegHeight, ReadOnlySpan<byte> message)
    {
        ViewerClient[] clients = Volatile.Read(ref _clients);
        if (clients.Length == 0)
        {
            return;
        }
        ViewerPacket packet = _pool.Rent();
        try
        {
            Span<byte> bytes = packet.Prepare(streamIndex, ViewerPacketLayout.Size(jpeg.Length, message.Length));
            ViewerPacketLayout.Write(bytes, streamIndex, jpeg, jpegWidth, jpegHeight, message, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            foreach (ViewerClient c in clients)
            {
                c.Offer(packet);
            }
        }
        finally
        {
            packet.Release();
        }
    }

    /// <summary>Asks every browser's send loop for the periodic stats message (the server calls this once a second).</summary>
    public void RequestStats()
    {
        foreach (ViewerClient c in Volatile.Read(ref _clients))
        {
            c.RequestStats();
        }
    }

    /// <summary>Serves one accepted WebSocket until the browser leaves or <paramref name="ct"/> (the server stopping).</summary>
    public async Task ServeAsync(WebSocket socket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var client = new ViewerClient(socket, this);
        lock (_gate)
        {
            _clients = [.. _clients, client];
        }
        Interlocked.Increment(ref _clientsServed);
        try
        {
            await client.RunAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _clients = Array.FindAll(_clients, c => c != client);
            }
        }
    }

    internal void CountSent(int bytes)
    {
        Interlocked.Increment(ref _framesSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void CountSkipped() => Interlocked.Increment(ref _framesSkipped);

    /// <summary>The stats message for <paramref name="client"/> (once a second per browser: its allocation does not matter).</summary>
    internal byte[] StatsJson(ViewerClient client)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "stats");
            w.WriteStartArray("streams");
            ViewerStreamInfo?[] streams = Volatile.Read(ref _streams);
            IReadOnlyList<StreamHealth> health = _health?.Streams() ?? [];
            for (int i = 0; i < streams.Length; i++)
            {
                if (streams[i] is not { } s || FindHealth(health, s.Name) is not { } h)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteString("name", s.Name);
                w.WriteString("state", StateName(h.State));
                w.WriteNumber("frames_published", h.FramesPublished);
                w.WriteNumber("frames_dropped", h.FramesDropped);
                w.WriteNumber("reconnects", h.Reconnects);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("client");
            w.WriteNumber("frames_sent", client.FramesSent);
            w.WriteNumber("frames_skipped", client.FramesSkipped);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>How states are spelled for people and in JSON: lower case.</summary>
    public static string StateName(StreamState state) => state switch
    {
        StreamState.Connecting => "connecting",
        StreamState.Running => "running",
        StreamState.Reconnecting => "reconnecting",
        StreamState.Ended => "ended",
        StreamState.Failed => "failed",
        _ => "unknown",
    };

    private static StreamHealth? FindHealth(IReadOnlyList<StreamHealth> health, string name)
    {
        foreach (StreamHealth h in health)
        {
            if (h.Name == name)
            {
                return h;
            }
        }
        return null;
    }

    private static byte[] BuildMeta(ViewerStreamInfo?[] streams)
    {
        using var buffer = new MemoryStream(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "meta");
            w.WriteNumber("layout", ViewerPacketLayout.Version);
            w.WriteStartArray("streams");
            for (int i = 0; i < streams.Length; i++)
            {
                if (streams[i] is not { } s)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteString("name", s.Name);
                w.WriteNumber("fps", Math.Round(s.FramesPerSecond, 3));
                w.WriteStartArray("categories");
                foreach (Category c in s.Categories?.Categories ?? [])
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", c.Id);
                    w.WriteString("name", c.Name);
                    w.WriteBoolean("thing", c.IsThing);
                    w.WriteNumber("color", c.Color);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
