using System.Globalization;
using System.Text;
using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime.Sinks;
using RealtimeSeg.Pipeline.Runtime.Stages;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// One pipeline run, stage by stage:
/// <code>
///  sources ─(capture rings)─► inference ─(work items)─► tracking ─► compose ─(composed frames)─► encode ─(fan-out)─► sinks
///  thread each  drop-oldest    own thread(s): ORT Run     per stream   panoptic map   pooled, ref-counted   wire msg    one queue each:
///                                                                                                                       zeromq, stats, dumps, …
/// </code>
/// Every arrow is a bounded hand-off that drops the oldest item (counted) when its reader is behind — or waits, in
/// lockstep, where nothing may be dropped. Every stage is <c>RunAsync(reader, writer)</c> and completes its writer in
/// <c>finally</c>, so the end of the sources (or a stage's failure) flows to the right and ends the run. Built by
/// <see cref="PipelineAssembler"/>; docs/architecture.md draws the threads and who owns which buffer when.
/// </summary>
public sealed class SegmentationPipeline : IAsyncDisposable
{
    private readonly PipelineParts _parts;
    private readonly CaptureStage _capture;
    private readonly InferenceStage _inference;
    private readonly TrackingStage _tracking;
    private readonly ImageStage? _image;
    private readonly ComposeStage _compose;
    private readonly EncodeStage _encode;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _abort;
    private Task<PipelineReport>? _running;
    private long _startNs;
    private long _endNs;
    private int _gen2AtStart;

    private SegmentationPipeline(PipelineParts parts)
    {
        _parts = parts;
        PipelineOptions options = parts.Config.Pipeline;
        bool ahead = options.Preprocess == PreprocessTiming.Ahead || (options.Preprocess == PreprocessTiming.Auto && options.Pace == Pacing.Lockstep);
        _capture = new CaptureStage(parts.Producers, parts.Log);
        var pictures = PicturePlan.For(parts.Config);
        _inference = new InferenceStage(parts.Streams, parts.Runner, parts.FreeWork, ahead, pictures);
        _tracking = new TrackingStage(parts.Streams);
        _image = pictures.Jpeg ? new ImageStage(pictures.Images) : null;
        _compose = new ComposeStage(parts.Streams, parts.Composed, parts.FreeWork, parts.Models.Categories.Version, parts.Run, pictures.Pixels,
            trackerInput: parts.Config.Pipeline.DumpDetections is not null);
        _encode = new EncodeStage(parts.Streams, parts.Config.Publish.MapEncoding);
    }

    public PipelineConfig Config => _parts.Config;
    public string ExecutionProvider => _parts.Models.Primary.ExecutionProvider;
    public CategoryTable Categories => _parts.Models.Categories;

    /// <summary>The ZeroMQ endpoint; with a wildcard port, the bound one once the run has started.</summary>
    public string PublishEndpoint => _parts.Publisher.Endpoint;

    public IReadOnlyList<string> StreamNames => Array.ConvertAll(_parts.Streams, s => s.Name);

    /// <summary>
    /// The HTTP endpoint's address (viewer at <c>/</c>, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>) with the port it
    /// got, once <see cref="Started"/> has completed; null without <c>http.listen</c>.
    /// </summary>
    public Uri? HttpAddress => _parts.WebServer?.Address;

    /// <summary>The run's id: random per run, in every message (protocol v2 <c>run</c>).</summary>
    public string Run => _parts.Run;

    /// <summary>
    /// Completes when every sink has started — the publisher is bound, so <see cref="PublishEndpoint"/> names its port —
    /// before the wait for a subscriber (<c>wait_for_subscriber</c>) and the first capture; faults with a failed start-up.
    /// </summary>
    public Task Started => _started.Task;

    /// <summary>True when preprocessing runs one frame ahead of inference on its own thread (see <see cref="PreprocessTiming"/>).</summary>
    public bool PreprocessesAhead => _inference.PrepareAhead;

    /// <summary>
    /// Opens every source and the model(s) and builds the run. Throws <see cref="SourceUnavailableException"/> or
    /// <see cref="ModelLoadException"/> (exit 3) and <see cref="ConfigurationException"/> (exit 2) before any frame flows.
    /// </summary>
    public static SegmentationPipeline Create(PipelineConfig config, IPipelineLog log, PipelineHostOptions? host = null)
        => new(PipelineAssembler.Build(config, log, host ?? new PipelineHostOptions(), FrameSourceFactory.Open));

    /// <summary>As <see cref="Create(PipelineConfig, IPipelineLog, PipelineHostOptions?)"/> with one frame pool for every source (tests pass a diagnostic one).</summary>
    public static SegmentationPipeline Create(PipelineConfig config, IPipelineLog log, FramePool? framePool)
        => Create(config, log, new PipelineHostOptions { FramePool = framePool });

    /// <summary>As <see cref="Create(PipelineConfig, IPipelineLog, PipelineHostOptions?)"/>, opening plain (non-drive) sources with <paramref name="openSource"/>.</summary>
    internal static SegmentationPipeline Create(PipelineConfig config, IPipelineLog log, PipelineHostOptions host,
        Func<string, int, SourceOptions, IPipelineLog, IFrameSource> openSource)
        => new(PipelineAssembler.Build(config, log, host, openSource));

    /// <summary>
    /// As <see cref="Create(PipelineConfig, IPipelineLog, PipelineHostOptions?)"/>, but the start-up (loading a model can
    /// take seconds) gives way to <paramref name="ct"/>: a stop during start-up waits at most <c>drain_timeout</c> for what
    /// is being built, disposes it and throws <see cref="OperationCanceledException"/>; when the build is still going
    /// after that, it throws <see cref="StartupAbandonedException"/> (the caller must then exit without native teardown:
    /// ONNX Runtime's exit-time destructors under a session still being created corrupt the native heap).
    /// </summary>
    public static async Task<SegmentationPipeline> CreateAsync(PipelineConfig config, IPipelineLog log, PipelineHostOptions? host, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Task<SegmentationPipeline> building = Task.Run(() => Create(config, log, host), CancellationToken.None);
        try
        {
            return await building.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !building.IsCompleted)
        {
            TimeSpan bound = config.Pipeline.DrainTimeout;
            try
            {
                await building.WaitAsync(bound, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _ = building.ContinueWith(static t => t.Result.DisposeAsync().AsTask(), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();
                throw new StartupAbandonedException(bound, ct);
            }
            catch (Exception) when (building.IsFaulted)
            {
                // The build failed on its own after the stop: nothing to dispose; the stop is what is reported.
            }
            if (building.IsCompletedSuccessfully)
            {
                await building.Result.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>
    /// Runs until every stream ends (or <c>max_frames</c>), or until <paramref name="ct"/> asks it to stop: then capture
    /// stops, what is in flight drains to the sinks for at most <c>drain_timeout</c>, and the report comes back as for a
    /// normal end. A stream whose source fails ends alone (reported per stream); the run throws only when a stage fails,
    /// when no stream delivered a frame within <c>startup_timeout</c>, or when every stream failed.
    /// </summary>
    public Task<PipelineReport> RunAsync(CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _abort, new CancellationTokenSource(), null) is not null)
        {
            throw new InvalidOperationException("a pipeline runs once");
        }
        _running = RunCoreAsync(_abort, ct);
        return _running;
    }

    private async Task<PipelineReport> RunCoreAsync(CancellationTokenSource abort, CancellationToken ct)
    {
        PipelineParts p = _parts;
        PipelineOptions options = p.Config.Pipeline;
        _gen2AtStart = GC.CollectionCount(2);
        _startNs = MonotonicClock.NowNs();
        p.Latency.Start(_startNs);
        LogStart();

        // Start-up: every sink opens (the publisher binds); optionally hold capture until a subscriber is there. Started
        // completes in between: a subscriber can only come once it can learn a wildcard port's number.
        try
        {
            if (p.Http is { } http)
            {
                p.WebServer = await Web.WebServer.StartAsync(new Web.WebServerOptions
                {
                    Listen = http.Options.Address(),
                    NextFreePorts = http.Options.NextFreePorts,
                    Viewer = http.Viewer,
                    Metrics = http.Registry,
                    Health = http.Health,
                    Readiness = new Web.Health.Readiness(http.Options.ReadyMaxFrameAge),
                }, p.Log, ct).ConfigureAwait(false);
            }
            foreach (SinkRunner s in p.Sinks)
            {
                await StartSinkAsync(s, p.SinkContext, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _started.TrySetException(e);
            throw;
        }
        _started.TrySetResult();
        await WaitForSubscriberAsync(ct).ConfigureAwait(false);

        // The data flow, left to right. Capture stops on the caller's stop; everything else drains after it, unless aborted.
        HandOffMode mode = options.Pace == Pacing.Lockstep ? HandOffMode.Wait : HandOffMode.DropOldest;
        Channel<WorkItem> inferred = WorkChannel(p.Work.Length), tracked = WorkChannel(p.Work.Length);
        var composed = new HandOff<ComposedFrame>(PipelineAssembler.ComposedQueueCapacity, mode, static f => f.Release(),
            f => p.Streams[f.StreamIndex].CountDroppedDownstream());
        using var stopCapture = CancellationTokenSource.CreateLinkedTokenSource(ct, abort.Token);
        Task[] sinks = Array.ConvertAll(p.Sinks, s => s.RunAsync(abort.Token));
        Task capture = _capture.RunAsync(p.Rings, stopCapture.Token);
        Task inference = _inference.RunAsync(p.Rings, inferred.Writer, abort.Token, ct);
        Task tracking = Task.Run(() => _tracking.RunAsync(inferred.Reader, tracked.Writer), CancellationToken.None);
        // With images on, their JPEG encoding sits between tracking and composition, on a thread of its own.
        Channel<WorkItem> toCompose = _image is null ? tracked : WorkChannel(p.Work.Length);
        Task image = _image?.RunAsync(tracked.Reader, toCompose.Writer) ?? Task.CompletedTask;
        Task compose = Task.Run(() => _compose.RunAsync(toCompose.Reader, composed.Writer), CancellationToken.None);
        Task encode = Task.Run(() => _encode.RunAsync(composed.Reader, new SinkFanOut(p.Sinks)), CancellationToken.None);
        Task[] spine = [inference, tracking, image, compose, encode];

        // Supervision: a failed stage aborts at once; a stop gives the drain drain_timeout; sinks get it after the spine ends.
        var deadline = new AbortDeadline(abort) { Drain = options.DrainTimeout };
        using CancellationTokenRegistration onStop = ct.UnsafeRegister(static s => ((AbortDeadline)s!).ArmAfterStop(), deadline);
        Task<SourceUnavailableException?> startup = WatchStartupAsync(capture, abort);
        await Task.WhenAll(Array.ConvertAll(spine, t => AbortOnFailure(t, abort))).ConfigureAwait(false);
        deadline.Arm(options.DrainTimeout);
        await Task.WhenAll(sinks).ConfigureAwait(false);
        await capture.ConfigureAwait(false);
        _endNs = MonotonicClock.NowNs();

        // Nothing may stay out: leases still in rings, frames still in hand-offs or queues go back to their pools.
        p.Rings.DrainAndRelease();
        composed.DrainAndRelease();
        foreach (SinkRunner s in p.Sinks)
        {
            s.DrainAndRelease();
        }
        if (await startup.ConfigureAwait(false) is { } noFrames)
        {
            throw noFrames;
        }
        if (FirstFailure(spine) is { } failure)
        {
            throw failure;
        }
        if (!ct.IsCancellationRequested && Array.TrueForAll(p.Streams, s => s.Failure is not null))
        {
            throw EveryStreamFailed();
        }
        if (p.Composed.Diagnostics)
        {
            p.Composed.AssertNoLeaks();
        }
        return Report();
    }

    /// <summary>A sink that cannot open its file fails start-up naming the sink (exit 3), never as a bare I/O error.</summary>
    private static async Task StartSinkAsync(SinkRunner sink, SinkContext context, CancellationToken ct)
    {
        try
        {
            await sink.Sink.StartAsync(context, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SourceUnavailableException.Output($"sink '{sink.Name}'", e.Message, e);
        }
    }

    private static Channel<WorkItem> WorkChannel(int capacity)
        => Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = false });

    private static async Task AbortOnFailure(Task stage, CancellationTokenSource abort)
    {
        try
        {
            await stage.ConfigureAwait(false);
        }
        catch
        {
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The root cause among failed stages: the first failure that is not a consequence (cancellation, closed channel).</summary>
    private static Exception? FirstFailure(Task[] stages)
    {
        Exception? consequence = null;
        foreach (Task t in stages)
        {
            if (t.IsFaulted && t.Exception!.InnerException is { } e)
            {
                if (e is not (OperationCanceledException or ChannelClosedException))
                {
                    return e;
                }
                consequence ??= e;
            }
        }
        return consequence;
    }

    /// <summary>
    /// Start-up watchdog: when no stream has delivered a frame <c>startup_timeout</c> after the start (and capture has
    /// not ended by itself), the run is aborted and the failure names every source and why it has no frames.
    /// </summary>
    private async Task<SourceUnavailableException?> WatchStartupAsync(Task capture, CancellationTokenSource abort)
    {
        TimeSpan limit = _parts.Config.Pipeline.StartupTimeout;
        if (limit <= TimeSpan.Zero)
        {
            return null;
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        Task timeout = Task.Delay(limit, timer.Token);
        Task first = await Task.WhenAny(_parts.Rings.FirstFrame, capture, timeout).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        if (first != timeout || !timeout.IsCompletedSuccessfully)
        {
            return null;
        }
        var why = new StringBuilder();
        foreach (StreamContext s in _parts.Streams)
        {
            why.Append(why.Length == 0 ? "" : "; ").Append(s.Name).Append(" (").Append(s.Input.Uri).Append("): ")
               .Append(s.Failure?.Message ?? s.Input.LastError ?? "no frame yet");
        }
        var failure = new SourceUnavailableException(string.Join(", ", Array.ConvertAll(_parts.Streams, s => s.Input.Uri)),
            string.Create(CultureInfo.InvariantCulture, $"no stream delivered a frame within {limit.TotalSeconds:0.#} s (pipeline.startup_timeout): {why}"));
        _parts.Log.Error(failure.Message);
        await abort.CancelAsync().ConfigureAwait(false);
        return failure;
    }

    /// <summary>One stream: its own failure, as it was thrown. Several: one error naming each stream and its failure.</summary>
    private Exception EveryStreamFailed()
    {
        StreamContext[] streams = _parts.Streams;
        if (streams.Length == 1)
        {
            return streams[0].Failure!;
        }
        string why = string.Join("; ", Array.ConvertAll(streams, s => $"{s.Name} ({s.Input.Uri}): {s.Failure!.Message}"));
        return new SourceUnavailableException(string.Join(", ", Array.ConvertAll(streams, s => s.Input.Uri)), "every stream failed: " + why, streams[0].Failure);
    }

    /// <summary>Start-up only: with <c>wait_for_subscriber</c>, holds the first capture until someone subscribes (or the wait ends).</summary>
    private async Task WaitForSubscriberAsync(CancellationToken ct)
    {
        TimeSpan limit = _parts.Config.Pipeline.WaitForSubscriber;
        if (limit <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task timeout = Task.Delay(limit, timer.Token);
        Task first = await Task.WhenAny(_parts.Publisher.FirstSubscription, timeout).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        if (first == timeout && !ct.IsCancellationRequested)
        {
            _parts.Log.Warn($"no subscriber on {PublishEndpoint} after {limit.TotalSeconds:0.#} s; starting anyway");
        }
    }

    private void LogStart()
    {
        PipelineParts p = _parts;
        foreach (ProducerEntry entry in p.Producers)
        {
            p.Log.Info($"pipeline: {entry.Producer.Description}");
        }
        p.Log.Info($"pipeline: {p.Streams.Length} stream{(p.Streams.Length == 1 ? "" : "s")}, {DescribeModels()}" +
                   $"{(p.Streams.Length > 1 ? " (shared, round-robin)" : "")}, pace {p.Config.Pipeline.Pace}, preprocessing {(_inference.PrepareAhead ? "ahead" : "just in time")}, " +
                   $"sinks {string.Join(", ", Array.ConvertAll(p.Sinks, s => s.Name))}");
    }

    /// <summary>For the start line: "model yolo.onnx [yolo-seg] on CPUExecutionProvider", or every fused model.</summary>
    private string DescribeModels()
    {
        Inference.SegmentationModel[] models = _parts.Models.Models;
        if (models.Length == 1)
        {
            return $"model {Path.GetFileName(models[0].Path)} [{models[0].DecoderName}] on {models[0].ExecutionProvider}";
        }
        return $"{models.Length} models fused ({(_parts.Config.Pipeline.ConcurrentModels ? "side by side" : "one after the other")}): " +
               string.Join(" + ", Array.ConvertAll(models, m => $"{Path.GetFileName(m.Path)} [{m.DecoderName}] on {m.ExecutionProvider}"));
    }

    /// <summary>
    /// The live status line's figures, safe to call while running and allocation-free: counters are read atomically
    /// and latency comes from the stats sink's last snapshot (refreshed every <see cref="StatsSink.SnapshotInterval"/>).
    /// </summary>
    public PipelineStatus Status()
    {
        long published = 0, dropped = 0;
        int activeTracks = 0;
        foreach (StreamContext s in _parts.Streams)
        {
            dropped += s.FramesDropped;
            published += s.FramesPublished;
            activeTracks += s.Tracker.ActiveTracks.Length;
        }
        (double p50, double p99) = _parts.Stats.CaptureToPublish;
        return new PipelineStatus(published, dropped, activeTracks, p50, p99, _parts.Models.Primary.ExecutionProvider);
    }

    /// <summary>
    /// Makes reports taken while the run goes carry latency figures: the stats sink then summarizes its histograms once a
    /// second (a few KB of allocation each time), for a <c>--stats</c> file rewritten every second.
    /// </summary>
    public void KeepLiveLatency() => _parts.Stats.LatencySnapshots = true;

    /// <summary>
    /// The <c>--stats</c> content. Latency figures are complete once the run has ended; while it runs (the stats sink
    /// owns the histograms) they are the sink's last summary, at most about a second old, after <see cref="KeepLiveLatency"/>.
    /// </summary>
    public PipelineReport Report()
    {
        PipelineParts p = _parts;
        bool ended = _running is { IsCompleted: true } || Volatile.Read(ref _endNs) != 0;
        LatencySnapshot? live = ended ? null : p.Stats.Latency;
        long captured = 0, processed = 0, published = 0, dropped = 0, inFlight = 0;
        int activeTracks = 0;
        var streams = new List<StreamCounters>(p.Streams.Length);
        foreach (StreamContext s in p.Streams)
        {
            IStreamInput c = s.Input;
            long streamDropped = s.FramesDropped;
            // Read before processed (a frame moves from one to the other, never back), so a running figure is never negative.
            long read = c.FramesRead, droppedAfter = s.FramesDroppedDownstream;
            long streamInFlight = Math.Max(0, read - s.FramesProcessed - (streamDropped - droppedAfter) - c.FramesCorrupt);
            streams.Add(new StreamCounters(s.Name, c.FramesRead, s.FramesProcessed, s.FramesPublished, streamDropped, c.Reconnects, c.FramesCorrupt, c.FramesCopied)
            {
                Uri = c.Uri,
                FramesMissing = c.FramesMissing,
                ConnectFailures = c.ConnectFailures,
                CaptureToPublish = ended ? p.Latency.SummarizeStream(s.Index) : live?.PerStream[s.Index] ?? default,
                Error = s.Failure?.Message,
                FramesDroppedAfterProcessing = droppedAfter,
                FramesInFlight = streamInFlight,
            });
            inFlight += streamInFlight;
            activeTracks += s.Tracker.ActiveTracks.Length;
            captured += c.FramesRead;
            processed += s.FramesProcessed;
            published += s.FramesPublished;
            dropped += streamDropped;
        }
        var latency = new Dictionary<LatencyStage, LatencySummary>();
        foreach (LatencyStage stage in Enum.GetValues<LatencyStage>())
        {
            latency[stage] = ended ? p.Latency.Summarize(stage) : live is not null ? live.Stages[stage] : default;
        }
        var sinks = new List<SinkCounters>(p.Sinks.Length);
        foreach (SinkRunner s in p.Sinks)
        {
            sinks.Add(new SinkCounters(s.Name, s.Offered, s.Dropped, s.Capacity, s.Failure?.Message));
        }
        long end = Volatile.Read(ref _endNs) is > 0 and long e ? e : MonotonicClock.NowNs();
        double elapsed = Math.Max(1e-9, (end - _startNs) / 1e9);
        return new PipelineReport
        {
            FramesCaptured = captured,
            FramesProcessed = processed,
            FramesPublished = published,
            FramesDropped = dropped,
            FramesInFlight = inFlight,
            Streams = streams,
            Sinks = sinks,
            Latency = latency,
            PipelineWork = ended ? p.Latency.SummarizeWork() : live?.Work ?? default,
            LatencyWindows = ended ? p.Latency.Windows() : live?.Windows ?? [],
            Running = !ended,
            ElapsedSeconds = elapsed,
            ThroughputFps = published / elapsed,
            ManagedAllocBytesPerFrame = p.Stats.AllocatedBytesPerFrame,
            GcGen2Collections = GC.CollectionCount(2) - _gen2AtStart,
            WorkingSetBytes = Environment.WorkingSet,
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            ExecutionProvider = p.Models.Primary.ExecutionProvider,
            Models = Array.ConvertAll(p.Models.Models, m => new ModelSummary(m.Path, m.DecoderName, m.InputDescription, m.ExecutionProvider)),
            ActiveTracks = activeTracks,
            PublishAuthentication = p.Publisher.IsAuthenticated ? "curve" : "none",
            Warnings = p.Publisher.SecurityWarning is { } warning ? [warning] : [],
        };
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing while running (e.g. the caller failed and unwinds): abort the run and wait for it, since the models'
        // buffers and the frame pools are native memory that a running inference still writes.
        if (_running is { } running)
        {
            await _abort!.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (Exception) when (running.IsFaulted || running.IsCanceled)
            {
                // The run's own failure was (or will be) reported to whoever awaited it; disposal only needs it stopped.
            }
        }
        _abort?.Dispose();
        await _parts.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// When the run gives up draining: the earliest of a stop + <c>drain_timeout</c> and the spine's end +
    /// <c>drain_timeout</c>. (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> replaces an earlier timer, so the
    /// earliest deadline is kept here.)
    /// </summary>
    private sealed class AbortDeadline(CancellationTokenSource abort)
    {
        private readonly Lock _gate = new();
        private long _dueNs = long.MaxValue;

        public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);

        public void ArmAfterStop() => Arm(Drain);

        public void Arm(TimeSpan after)
        {
            lock (_gate)
            {
                long due = MonotonicClock.NowNs() + (long)after.TotalNanoseconds;
                if (due >= _dueNs)
                {
                    return;
                }
                _dueNs = due;
                try
                {
                    abort.CancelAfter(after);
                }
                catch (ObjectDisposedException)
                {
                    // The run already ended.
                }
            }
        }
    }
}
