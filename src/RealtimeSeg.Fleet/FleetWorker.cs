using System.Diagnostics;
using System.Runtime.CompilerServices;
using NATS.Client.Core;
using NATS.Client.JetStream;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Fleet;

/// <summary>
/// <c>realtimeseg worker</c>: pulls jobs from the shared consumer, runs each segment, stores its results, records the
/// completion and only then acks (docs/scale-out.md). While a job runs it sends in-progress acks every third of the
/// ack wait; a worker that dies stops sending them and JetStream redelivers the job to another worker after the ack
/// wait. A job already completed (its completion record exists) is acked without running again. A job that failed
/// <see cref="WorkerOptions.MaxAttempts"/> times, or was delivered that often without completing, goes to the
/// dead-letter subject with its error. NATS outages (a server restart) are waited out: every NATS call is retried.
/// </summary>
public sealed class FleetWorker
{
    private static readonly TimeSpan FetchExpiry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly FleetConnectionOptions _connection;
    private readonly WorkerOptions _options;
    private readonly IPipelineLog _log;
    private readonly string _name;
    private int _completed, _skipped, _retried, _dead;
    private long _frames;

    public FleetWorker(FleetConnectionOptions connection, WorkerOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _options = options;
        _log = log;
        _name = options.Name ?? $"{Environment.MachineName}:{Environment.ProcessId}";
    }

    public string Name => _name;

    /// <summary>Runs until <paramref name="ct"/> is cancelled (a job in progress is given back with a nak), or with
    /// <see cref="WorkerOptions.ExitWhenDone"/> until every submitted job is done or failed.</summary>
    public async Task<WorkerSummary> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        FleetConnection fleet = await FleetConnection.OpenAsync(_connection with { ClientName = "realtimeseg-worker " + _name }, _log, ct).ConfigureAwait(false);
        await using (fleet.ConfigureAwait(false))
        {
            INatsJSConsumer consumer = await fleet.WorkerConsumerAsync(_options.AckWait, ct).ConfigureAwait(false);
            IResultStore results = _options.ResultsDirectory is null ? new ObjectStoreResults(fleet.Results) : new DirectoryResults(_options.ResultsDirectory);
            var ledger = new FleetLedger(fleet.Ledger);
            _log.Info($"worker {_name}: {_options.Concurrency} job(s) at a time, ack wait {_options.AckWait.TotalSeconds:0.#} s, {_options.MaxAttempts} attempts, results → {results.Description}");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loops = new Task[_options.Concurrency];
            for (int i = 0; i < loops.Length; i++)
            {
                loops[i] = LoopAsync(fleet, consumer, results, ledger, stop, ct);
            }
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        return new WorkerSummary(_completed, _skipped, _retried, _dead, Interlocked.Read(ref _frames), clock.Elapsed.TotalSeconds);
    }

    private async Task LoopAsync(FleetConnection fleet, INatsJSConsumer consumer, IResultStore results, FleetLedger ledger, CancellationTokenSource stop, CancellationToken ct)
    {
        CancellationToken loop = stop.Token;
        while (!loop.IsCancellationRequested)
        {
            INatsJSMsg<byte[]>? next;
            try
            {
                next = await consumer.NextAsync<byte[]>(opts: new NatsJSNextOpts { Expires = FetchExpiry }, cancellationToken: loop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (loop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsNatsTrouble(e))
            {
                _log.Warn($"worker {_name}: fetching a job failed ({e.Message}); retrying");
                await DelayAsync(loop).ConfigureAwait(false);
                continue;
            }
            if (next is null)
            {
                if (_options.ExitWhenDone && await AllSettledAsync(ledger, loop).ConfigureAwait(false))
                {
                    _log.Info($"worker {_name}: every submitted job is done or failed; exiting");
                    await stop.CancelAsync().ConfigureAwait(false);
                }
                continue;
            }
            await HandleAsync(next, results, ledger, fleet, ct).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(INatsJSMsg<byte[]> msg, IResultStore results, FleetLedger ledger, FleetConnection fleet, CancellationToken ct)
    {
        ulong delivery = msg.Metadata?.NumDelivered ?? 1;
        FleetJob job;
        try
        {
            job = FleetJson.Deserialize<FleetJob>(msg.Data, $"job message on {msg.Subject}");
        }
        catch (FleetException e)
        {
            _log.Error($"worker {_name}: {e.Message}; dropped (it can never run)");
            await RetryAsync("terminate a malformed job", () => msg.AckTerminateAsync(cancellationToken: ct).AsTask(), ct).ConfigureAwait(false);
            return;
        }
        if (await RetryAsync("read the ledger", () => ledger.CompletionAsync(job.JobId, ct), ct).ConfigureAwait(false) is { } earlier)
        {
            _log.Info($"job {job.JobId}: completed already by {earlier.Worker} (delivery {earlier.Delivery}); acked without running again");
            Interlocked.Increment(ref _skipped);
            await RetryAsync("ack", () => msg.AckAsync(cancellationToken: ct).AsTask(), ct).ConfigureAwait(false);
            return;
        }
        if (delivery > (ulong)_options.MaxAttempts)
        {
            await DeadLetterAsync(msg, job, delivery - 1, $"delivered {delivery - 1} times without completing: the workers running it died or overran the ack wait", fleet, ledger, ct).ConfigureAwait(false);
            return;
        }

        _log.Info($"job {job}: started (delivery {delivery}) on {_name}");
        string folder = Directory.CreateTempSubdirectory("rseg-job-").FullName;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var progress = new StrongBox<Func<long>?>();
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task beats = HeartbeatAsync(msg, job, progress, heartbeat.Token);
        try
        {
            PipelineReport report = await SegmentRunner.RunAsync(job, folder, new JobLog(_log, job.JobId), progress, ct).ConfigureAwait(false);
            await RetryAsync("store results", () => results.StoreAsync(job.JobId, folder, ct), ct).ConfigureAwait(false);
            var completion = new JobCompletion
            {
                JobId = job.JobId,
                Worker = _name,
                Delivery = delivery,
                Frames = report.FramesPublished,
                Seconds = clock.Elapsed.TotalSeconds,
                StartedAt = started,
                FinishedAt = DateTimeOffset.UtcNow,
                Results = results.Description,
            };
            bool first = await RetryAsync("record the completion", () => ledger.TryCompleteAsync(completion, ct), ct).ConfigureAwait(false);
            await heartbeat.CancelAsync().ConfigureAwait(false);
            await beats.ConfigureAwait(false);
            await RetryAsync("ack", () => msg.AckAsync(cancellationToken: ct).AsTask(), ct).ConfigureAwait(false);
            Interlocked.Increment(ref _completed);
            Interlocked.Add(ref _frames, report.FramesPublished);
            _log.Info($"job {job.JobId}: done: {report.FramesPublished} frames in {completion.Seconds:0.0} s ({report.FramesPublished / Math.Max(completion.Seconds, 1e-9):0.0} frames/s) → {results.Description}" +
                (first ? "" : "; another delivery had completed it first (its equal results were replaced, one completion kept)"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped: give the job back at once rather than after the ack wait.
            _log.Info($"job {job.JobId}: stopped; handed back");
            try
            {
                await msg.NakAsync(cancellationToken: CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNatsTrouble(e))
            {
                // JetStream redelivers after the ack wait anyway.
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            string error = e is FleetException or ConfigurationException or SourceUnavailableException or ModelLoadException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (delivery >= (ulong)_options.MaxAttempts || e is ConfigurationException)
            {
                await DeadLetterAsync(msg, job, delivery, error, fleet, ledger, ct).ConfigureAwait(false);
            }
            else
            {
                Interlocked.Increment(ref _retried);
                _log.Warn($"job {job.JobId}: failed (delivery {delivery} of at most {_options.MaxAttempts}): {error}; handed back for a retry");
                await RetryAsync("nak", () => msg.NakAsync(delay: TimeSpan.FromSeconds(1), cancellationToken: ct).AsTask(), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await heartbeat.CancelAsync().ConfigureAwait(false);
            await beats.ConfigureAwait(false);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>In-progress acks every third of the ack wait, each with the job's progress in the log.</summary>
    private async Task HeartbeatAsync(INatsJSMsg<byte[]> msg, FleetJob job, StrongBox<Func<long>?> progress, CancellationToken ct)
    {
        TimeSpan period = _options.AckWait / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, ct).ConfigureAwait(false);
                try
                {
                    await msg.AckProgressAsync(cancellationToken: ct).ConfigureAwait(false);
                }
                catch (Exception e) when (IsNatsTrouble(e))
                {
                    _log.Warn($"job {job.JobId}: in-progress ack failed ({e.Message}); the job may be redelivered if this lasts past the ack wait");
                }
                if (progress.Value is { } published)
                {
                    _log.Info($"job {job.JobId}: {published()}/{job.Frames} frames");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended.
        }
    }

    private async Task DeadLetterAsync(INatsJSMsg<byte[]> msg, FleetJob job, ulong deliveries, string error, FleetConnection fleet, FleetLedger ledger, CancellationToken ct)
    {
        var failure = new JobFailure { Job = job, Error = error, Deliveries = deliveries, Worker = _name, FailedAt = DateTimeOffset.UtcNow };
        await RetryAsync("publish the dead letter", async () =>
        {
            var ack = await fleet.JetStream.PublishAsync(FleetNames.DeadSubjectPrefix + job.JobId, FleetJson.Serialize(failure),
                opts: new NatsJSPubOpts { MsgId = "dead-" + job.JobId }, cancellationToken: ct).ConfigureAwait(false);
            ack.EnsureSuccess();
        }, ct).ConfigureAwait(false);
        await RetryAsync("record the failure", () => ledger.FailAsync(failure, ct), ct).ConfigureAwait(false);
        await RetryAsync("terminate", () => msg.AckTerminateAsync(cancellationToken: ct).AsTask(), ct).ConfigureAwait(false);
        Interlocked.Increment(ref _dead);
        _log.Error($"job {job.JobId}: given up after {deliveries} deliveries → {FleetNames.DeadSubjectPrefix}{job.JobId}: {error}");
    }

    private static async Task<bool> AllSettledAsync(FleetLedger ledger, CancellationToken ct)
    {
        try
        {
            IReadOnlyList<SourcePlan> plans = await ledger.PlansAsync(ct).ConfigureAwait(false);
            Dictionary<string, JobCompletion> done = await ledger.CompletionsAsync(ct).ConfigureAwait(false);
            HashSet<string> failed = await ledger.FailedJobsAsync(ct).ConfigureAwait(false);
            return plans.Count > 0 && plans.All(p => p.Jobs.All(j => done.ContainsKey(j.JobId) || failed.Contains(j.JobId)));
        }
        catch (Exception e) when (IsNatsTrouble(e))
        {
            return false;
        }
    }

    private async Task RetryAsync(string what, Func<Task> action, CancellationToken ct)
        => await RetryAsync(what, async () => { await action().ConfigureAwait(false); return true; }, ct).ConfigureAwait(false);

    /// <summary>Retries a NATS operation through an outage (a server restart) until it succeeds or <paramref name="ct"/> stops the worker.</summary>
    private async Task<T> RetryAsync<T>(string what, Func<Task<T>> action, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (Exception e) when (IsNatsTrouble(e) && !ct.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    _log.Warn($"worker {_name}: {what} failed ({e.Message}); retrying until NATS answers");
                }
                await DelayAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private static Task DelayAsync(CancellationToken ct) => Task.Delay(RetryDelay, ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static bool IsNatsTrouble(Exception e) => e is NatsException or TimeoutException or IOException;
}
