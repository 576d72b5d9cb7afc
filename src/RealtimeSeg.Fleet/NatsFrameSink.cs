using System.Threading.Channels;
using NATS.Client.Core;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Fleet;

/// <summary>
/// The live bridge (<c>--publish nats://HOST:PORT</c>): each frame's wire message, byte for byte as on ZeroMQ, on core
/// NATS subject <c>realtimeseg.&lt;stream&gt;.panoptic</c>; the category table on <c>….meta</c> at start and every
/// <see cref="MetaInterval"/>; the end-of-stream message on <c>….end</c>. Core NATS is at-most-once: the server drops
/// messages for a slow consumer instead of slowing the publisher, and this sink's own drop-oldest queue sheds frames
/// while the server is unreachable (the client reconnects by itself). A persisted, replayable window is a JetStream
/// stream over these subjects, configured on the server (docs/scale-out.md). Credentials as in <see cref="FleetConnectionOptions"/>.
/// </summary>
public sealed class NatsFrameSink : IFrameSink
{
    private static readonly TimeSpan MetaInterval = TimeSpan.FromSeconds(2);

    private readonly FleetConnectionOptions _options;
    private readonly IPipelineLog _log;
    private NatsConnection? _connection;
    private string[] _panoptic = [];
    private string[] _end = [];
    private (string Subject, byte[] Payload)[] _meta = [];
    private long _published, _failed;

    public NatsFrameSink(FleetConnectionOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = log;
    }

    public string Name => "nats";

    public int QueueCapacity => 4;

    public long FramesPublished => Interlocked.Read(ref _published);

    public async Task StartAsync(SinkContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _connection = new NatsConnection(NatsOpts.Default with
        {
            Url = _options.Url,
            Name = _options.ClientName + " bridge",
            MaxReconnectRetry = -1,
            AuthOpts = _options.CredsFile is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { CredsFile = _options.CredsFile },
            TlsOpts = _options.TlsCaFile is null ? NatsTlsOpts.Default : NatsTlsOpts.Default with { CaFile = _options.TlsCaFile },
        });
        try
        {
            await _connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
        }
        catch (NatsException e)
        {
            throw new SourceUnavailableException(_options.RedactedUrl, $"the NATS bridge cannot connect: {e.Message}", e);
        }
        int n = context.Streams.Count;
        _panoptic = new string[n];
        _end = new string[n];
        _meta = new (string, byte[])[n];
        foreach (SinkStream s in context.Streams)
        {
            _panoptic[s.Index] = NatsSubjects.Panoptic(s.Name);
            _end[s.Index] = NatsSubjects.End(s.Name);
            _meta[s.Index] = (NatsSubjects.Meta(s.Name), CategoryTableSerializer.ToArray(s.Name, context.Categories));
        }
        await PublishMetaAsync(ct).ConfigureAwait(false);
        _log.Info($"nats bridge: publishing {string.Join(", ", _panoptic)} on {_options.RedactedUrl}");
    }

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        NatsConnection connection = _connection ?? throw new InvalidOperationException("the NATS sink was not started");
        long nextMeta = Environment.TickCount64 + (long)MetaInterval.TotalMilliseconds;
        while (await frames.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (frames.TryRead(out ComposedFrame? frame))
            {
                try
                {
                    string subject = frame.IsEndOfStream ? _end[frame.StreamIndex] : _panoptic[frame.StreamIndex];
                    await connection.PublishAsync(subject, frame.Message, cancellationToken: ct).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                }
                catch (NatsException e)
                {
                    // Disconnected: at-most-once, as core NATS is. Said once per outage, not per frame.
                    if (Interlocked.Increment(ref _failed) == 1)
                    {
                        _log.Warn($"nats bridge: publishing to {_options.RedactedUrl} failed ({e.Message}); frames are dropped until it reconnects");
                    }
                }
                finally
                {
                    frame.Release();
                }
                if (Environment.TickCount64 >= nextMeta)
                {
                    nextMeta = Environment.TickCount64 + (long)MetaInterval.TotalMilliseconds;
                    await PublishMetaAsync(ct).ConfigureAwait(false);
                }
            }
        }
        // A round trip: every frame published before it has reached the server when the run ends.
        await connection.PingAsync(ct).ConfigureAwait(false);
    }

    private async Task PublishMetaAsync(CancellationToken ct)
    {
        foreach ((string subject, byte[] payload) in _meta)
        {
            try
            {
                await _connection!.PublishAsync(subject, payload, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (NatsException)
            {
                // The next interval sends it again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } c)
        {
            _connection = null;
            await c.DisposeAsync().ConfigureAwait(false);
        }
    }
}
