using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Client.ObjectStore;
using RealtimeSeg.Core;

namespace RealtimeSeg.Fleet;

/// <summary>
/// A connection to the fleet's NATS servers with the JetStream objects of <see cref="FleetNames"/>, created when
/// missing (file storage: they survive a server restart). The client reconnects by itself forever; an operation that
/// was in flight during an outage fails and is retried by its caller.
/// </summary>
internal sealed class FleetConnection : IAsyncDisposable
{
    private FleetConnection(NatsConnection connection, NatsJSContext js, INatsKVStore ledger, INatsObjStore results)
    {
        Connection = connection;
        JetStream = js;
        Ledger = ledger;
        Results = results;
    }

    public NatsConnection Connection { get; }
    public NatsJSContext JetStream { get; }

    /// <summary>The ledger bucket (<see cref="FleetNames.LedgerBucket"/>).</summary>
    public INatsKVStore Ledger { get; }

    /// <summary>The result object store (<see cref="FleetNames.ResultBucket"/>).</summary>
    public INatsObjStore Results { get; }

    /// <summary>Connects and makes sure the streams and buckets exist.</summary>
    /// <exception cref="FleetException">No server answered, or JetStream is not enabled on it (the message names the redacted URL).</exception>
    public static async Task<FleetConnection> OpenAsync(FleetConnectionOptions options, IPipelineLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var opts = NatsOpts.Default with
        {
            Url = options.Url,
            Name = options.ClientName,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(200),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AuthOpts = options.CredsFile is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { CredsFile = options.CredsFile },
            TlsOpts = options.TlsCaFile is null ? NatsTlsOpts.Default : NatsTlsOpts.Default with { CaFile = options.TlsCaFile },
        };
        var connection = new NatsConnection(opts);
        try
        {
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
            }
            catch (NatsException e)
            {
                throw new FleetException($"cannot connect to NATS at {options.RedactedUrl}: {e.Message}", e);
            }
            var js = new NatsJSContext(connection);
            try
            {
                // Created when missing, never updated: an operator's settings (three replicas in a cluster, limits) stay.
                await EnsureStreamAsync(js, new StreamConfig(FleetNames.JobStream, [FleetNames.JobSubjectPrefix + ">"])
                {
                    Retention = StreamConfigRetention.Workqueue,
                    Storage = StreamConfigStorage.File,
                    // A resubmission within this window is dropped by message id (the job id): no duplicate jobs.
                    DuplicateWindow = TimeSpan.FromHours(1),
                }, ct).ConfigureAwait(false);
                await EnsureStreamAsync(js, new StreamConfig(FleetNames.DeadStream, [FleetNames.DeadSubjectPrefix + ">"])
                {
                    Storage = StreamConfigStorage.File,
                }, ct).ConfigureAwait(false);
                var kv = new NatsKVContext(js);
                INatsKVStore ledger;
                try
                {
                    ledger = await kv.GetStoreAsync(FleetNames.LedgerBucket, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (IsMissing(e))
                {
                    ledger = await kv.CreateStoreAsync(new NatsKVConfig(FleetNames.LedgerBucket) { Storage = NatsKVStorageType.File, History = 1 }, ct).ConfigureAwait(false);
                }
                var obj = new NatsObjContext(js);
                INatsObjStore results;
                try
                {
                    results = await obj.GetObjectStoreAsync(FleetNames.ResultBucket, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (IsMissing(e))
                {
                    results = await obj.CreateObjectStoreAsync(new NatsObjConfig(FleetNames.ResultBucket) { Storage = NatsObjStorageType.File }, ct).ConfigureAwait(false);
                }
                log.Info($"fleet: connected to {options.RedactedUrl} (JetStream: {FleetNames.JobStream}, {FleetNames.LedgerBucket}, {FleetNames.ResultBucket})");
                return new FleetConnection(connection, js, ledger, results);
            }
            catch (NatsJSApiException e)
            {
                throw new FleetException($"NATS at {options.RedactedUrl}: JetStream refused setting up the fleet's streams ({e.Error.Description}, code {e.Error.ErrCode}); is the server started with -js?", e);
            }
            catch (NatsJSException e)
            {
                throw new FleetException($"NATS at {options.RedactedUrl}: JetStream is not available ({e.Message}); start nats-server with -js", e);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A stream or bucket that does not exist yet (JetStream's 404 / 10059; the KV and object store clients wrap it).</summary>
    private static bool IsMissing(Exception e)
        => e is NatsJSApiException { Error.Code: 404 } || (e is NatsKVException or NatsObjException && e.InnerException is NatsJSApiException { Error.Code: 404 })
           || e is NatsObjNotFoundException || e is NatsKVException { Message: "Bucket not found" };

    private static async Task EnsureStreamAsync(NatsJSContext js, StreamConfig config, CancellationToken ct)
    {
        try
        {
            await js.GetStreamAsync(config.Name!, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsMissing(e))
        {
            try
            {
                await js.CreateStreamAsync(config, ct).ConfigureAwait(false);
            }
            catch (NatsJSApiException raced) when (raced.Error.ErrCode == 10058)
            {
                // Another submitter or worker created it first (stream name already in use).
            }
        }
    }

    /// <summary>The workers' shared pull consumer, created or updated with <paramref name="ackWait"/>.</summary>
    public async Task<INatsJSConsumer> WorkerConsumerAsync(TimeSpan ackWait, CancellationToken ct)
        => await JetStream.CreateOrUpdateConsumerAsync(FleetNames.JobStream, new ConsumerConfig(FleetNames.WorkerConsumer)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = ackWait,
            // Workers enforce their own attempt limit and dead-letter the job (JetStream would stop delivering silently).
            MaxDeliver = -1,
            MaxAckPending = 1000,
        }, ct).ConfigureAwait(false);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
