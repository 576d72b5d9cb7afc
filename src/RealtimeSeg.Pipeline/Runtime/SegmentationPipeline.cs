using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Drives;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// The composition of one pipeline run:
/// <code>
///  source s0 ─(ring)─┐
///  source s1 ─(ring)─┼─► inference ─(work items, wait)─► post-process ─(drop-oldest | wait)─► publisher
///  drive: front,left ┘   round-robin     WorkItem    decode→track(per stream)→compose   PanopticFrame     socket thread
/// </code>
/// Each stream has its own capture ring (drop-oldest, or wait in lockstep), tracker, id space and topic; they share one
/// model session, which takes the next stream that has a frame, in rotation (<see cref="RoundRobinScheduler"/>), so no
/// stream starves another. A stream whose source fails ends alone (its error is in the report); the others go on.
/// Each arrow is a bounded <see cref="HandOff{T}"/>; each stage completes its writer in <c>finally</c> (with the
/// exception on failure), so the end of the last stream, or a failure of a shared stage, flows to the right and stops everything.
/// Inference of frame k+1 overlaps post-processing of frame k because there are several
/// <see cref="WorkItem"/>s, each with its own model I/O buffers. After warm-up no stage allocates.
/// </summary>
public sealed class SegmentationPipeline : IAsyncDisposable
{
    /// <summary>Published frames before allocation is measured (JIT, pools and buffers settle first).</summary>
    private const int WarmUpFrames = 5;

    private readonly PipelineConfig _config;
    private readonly IPipelineLog _log;
    private readonly ModelSet _models;
    private readonly ModelRunner _runner;
    private readonly FramePool _framePool;
    private readonly StreamContext[] _streams;
    private readonly ProducerEntry[] _producers;
    private readonly Doorbell _framesArrived;
    private readonly RoundRobinScheduler _scheduler;
    private readonly WorkItem[] _allWork;
    private readonly Channel<WorkItem> _freeWork;
    private readonly HandOff<WorkItem> _inferred;
    private readonly ObjectStack<PanopticFrame> _freeFrames;
    private readonly HandOff<PanopticFrame> _toPublish;
    private readonly ZeroMqPublisher _publisher;
    private readonly LatencyRecorder _latency;
    private CancellationTokenSource? _disposeStop;
    private Task<PipelineReport>? _running;
    private readonly bool _ownsPool;
    private readonly FrameDumper _dumper;

    private long _published;
    private long _allocAtWarmUp;
    private long _allocAtLast;
    private long _publishedAtWarmUp;
    private int _gen2AtStart;
    private long _startNs;
    private long _lastPublishNs;

    private SegmentationPipeline(PipelineConfig config, IPipelineLog log, ModelSet models, FramePool framePool, StreamContext[] streams,
        ProducerEntry[] producers, Doorbell framesArrived, ZeroMqPublisher publisher, bool ownsPool)
    {
        _config = config;
        _log = log;
        _models = models;
        _runner = new ModelRunner(models, config.Pipeline.ConcurrentModels);
        _framePool = framePool;
        _streams = streams;
        _producers = producers;
        _framesArrived = framesArrived;
        _scheduler = new RoundRobinScheduler(Array.ConvertAll(streams, s => s.Ring.Reader), OnStreamEnded);
        _latency = new LatencyRecorder(streams.Length, config.Pipeline.LatencyWindow);
        _publisher = publisher;
        _ownsPool = ownsPool;
        int inFlight = config.Pipeline.InFlightFrames;
        _allWork = new WorkItem[inFlight];
        // The free list is a channel so the inference stage can await a free item without allocating.
        _freeWork = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(inFlight) { SingleReader = true, SingleWriter = false });
        for (int i = 0; i < inFlight; i++)
        {
            _allWork[i] = new WorkItem(models);
            _freeWork.Writer.TryWrite(_allWork[i]);
        }
        _inferred = new HandOff<WorkItem>(inFlight, HandOffMode.Wait, ReturnWork);
        // Enough frames for: one being composed, the queue to the publisher, one being sent.
        int publishQueue = 2;
        _freeFrames = new ObjectStack<PanopticFrame>(publishQueue + 2, () => new PanopticFrame());
        HandOffMode publishMode = config.Pipeline.Pace == Pacing.Lockstep ? HandOffMode.Wait : HandOffMode.DropOldest;
        _toPublish = new HandOff<PanopticFrame>(publishQueue, publishMode, _freeFrames.Return, CountPublishDrop);
        _publisher.OnPublished = OnPublished;
        _dumper = new FrameDumper(config.Pipeline.DumpMot, config.Pipeline.DumpPanoptic, models.Categories);
    }

    public PipelineConfig Config => _config;
    public string ExecutionProvider => _models.Primary.ExecutionProvider;
    public CategoryTable Categories => _models.Categories;
    public string PublishEndpoint => _publisher.Endpoint;
    public IReadOnlyList<string> StreamNames => Array.ConvertAll(_streams, s => s.Name);

    /// <summary>
    /// Opens every source (a <c>drive:FILE</c> source opens all its cameras, each a stream) and the model and binds the
    /// publisher. Throws <see cref="SourceUnavailableException"/> or <see cref="ModelLoadException"/> (exit 3) and
    /// <see cref="ConfigurationException"/> (exit 2) before any frame flows.
    /// </summary>
    public static SegmentationPipeline Create(PipelineConfig config, IPipelineLog log, FramePool? framePool = null)
        => Create(config, log, framePool, FrameSourceFactory.Open);

    /// <summary>As <see cref="Create(PipelineConfig, IPipelineLog, FramePool?)"/>, opening plain (non-drive) sources with <paramref name="openSource"/>.</summary>
    internal static SegmentationPipeline Create(PipelineConfig config, IPipelineLog log, FramePool? framePool,
        Func<string, int, SourceOptions, IPipelineLog, IFrameSource> openSource)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        if (config.Sources.Count == 0)
        {
            throw new ConfigurationException("key 'sources': at least one source is required (--source URI or a sources: list)");
        }
        StreamPlan[] plan = PlanStreams(config);
        var sourceOptions = new SourceOptions { Pacing = config.Pipeline.Pace, MaxFrames = config.Pipeline.MaxFrames, Loop = config.Playback.Loop ?? false };
        HandOffMode ringMode = config.Pipeline.Pace == Pacing.Lockstep ? HandOffMode.Wait : HandOffMode.DropOldest;
        var framesArrived = new Doorbell();
        var rings = new HandOff<FrameLease>[plan.Length];
        var writers = new ChannelWriter<FrameLease>[plan.Length];
        for (int i = 0; i < plan.Length; i++)
        {
            rings[i] = new HandOff<FrameLease>(config.Pipeline.QueueCapacity, ringMode, static lease => lease.Dispose());
            writers[i] = new SignallingWriter<FrameLease>(rings[i].Writer, framesArrived.Ring);
        }
        var producers = new List<ProducerEntry>();
        var inputs = new IStreamInput[plan.Length];
        ModelSet? models = null;
        ZeroMqPublisher? publisher = null;
        bool ownsPool = framePool is null;
        try
        {
            int extraSlots = 0;
            for (int i = 0; i < plan.Length;)
            {
                StreamPlan p = plan[i];
                if (p.Drive is null)
                {
                    var producer = new SourceProducer(openSource(p.Uri, i, p.Source?.ApplyTo(sourceOptions) ?? sourceOptions, log), p.Name, writers[i]);
                    producers.Add(new ProducerEntry(producer, [i]));
                    inputs[i] = producer;
                    i++;
                    continue;
                }
                int cameras = p.Drive.Cameras.Count;
                DrivePlayer player = DrivePlayer.Open(p.Drive, config.Playback, i, writers[i..(i + cameras)], config.Pipeline.Pace, config.Pipeline.MaxFrames, log);
                int[] indices = new int[cameras];
                for (int c = 0; c < cameras; c++)
                {
                    indices[c] = i + c;
                    inputs[i + c] = player.Cameras[c];
                }
                producers.Add(new ProducerEntry(player, indices));
                extraSlots += player.SlotsHeld;
                i += cameras;
            }
            models = ModelSet.Load(config, log);
            int maxBytes = 0;
            foreach (IStreamInput input in inputs)
            {
                maxBytes = Math.Max(maxBytes, FramePool.BytesForBgr(input.Width, input.Height));
            }
            StartupChecks.Validate(config, models, framePool, plan.Length, extraSlots, maxBytes);
            // Slots: per stream its ring and one being decoded; what drives hold; one being preprocessed; one spare.
            framePool ??= new FramePool((plan.Length * (config.Pipeline.QueueCapacity + 1)) + extraSlots + 2, maxBytes);
            ModelClasses classes = models.Classes;
            var streams = new StreamContext[plan.Length];
            for (int i = 0; i < streams.Length; i++)
            {
                var composer = new PanopticComposer(config.Panoptic, classes.Categories, classes.ThingCategoryForClass.AsSpan(), classes.StuffCategoryForClass.AsSpan());
                streams[i] = new StreamContext(i, plan[i].Name, inputs[i], rings[i], new ByteTracker(config.Tracker.ForFrameRate(inputs[i].FramesPerSecond)), composer);
            }
            publisher = new ZeroMqPublisher(config.Publish, log);
            foreach (StreamContext s in streams)
            {
                publisher.AddStream(s.Index, s.Name, models.Categories);
            }
            return new SegmentationPipeline(config, log, models, framePool, streams, [.. producers], framesArrived, publisher, ownsPool);
        }
        catch
        {
            foreach (ProducerEntry p in producers)
            {
                p.Producer.Dispose();
            }
            models?.Dispose();
            if (ownsPool)
            {
                framePool?.Dispose();
            }
            if (publisher is not null)
            {
                publisher.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            throw;
        }
    }

    /// <summary>Stream names and what feeds them, in stream order; drive files are read here. Names must be unique (they are topics).</summary>
    private static StreamPlan[] PlanStreams(PipelineConfig config)
    {
        var plan = new List<StreamPlan>();
        for (int i = 0; i < config.Sources.Count; i++)
        {
            SourceConfig source = config.Sources[i];
            if (source.Uri.StartsWith(DriveConfig.UriScheme, StringComparison.Ordinal))
            {
                DriveConfig drive = DriveLoader.Load(source.Uri[DriveConfig.UriScheme.Length..]);
                if (source.Name is not null)
                {
                    drive = drive with { Name = source.Name };
                }
                foreach (DriveCameraConfig camera in drive.Cameras)
                {
                    plan.Add(new StreamPlan(camera.Name, camera.Uri, drive, null));
                }
                continue;
            }
            plan.Add(new StreamPlan(source.Name ?? "s" + plan.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), source.Uri, null, source));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (StreamPlan p in plan)
        {
            if (!names.Add(p.Name))
            {
                throw new ConfigurationException($"key 'sources': stream name '{p.Name}' is used twice (stream names become topics; name the sources or the drive cameras apart)");
            }
        }
        return [.. plan];
    }

    /// <summary>
    /// Runs until every stream ends, <c>max_frames</c> is reached or <paramref name="ct"/> is cancelled. A stream whose
    /// source fails ends alone and is reported in <see cref="PipelineReport.Streams"/>; only when every stream failed
    /// does the run throw (the first stream's failure).
    /// </summary>
    public Task<PipelineReport> RunAsync(CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _disposeStop, new CancellationTokenSource(), null) is not null)
        {
            throw new InvalidOperationException("a pipeline runs once");
        }
        Task<PipelineReport> run = RunCoreAsync(ct, _disposeStop.Token);
        _running = run;
        return run;
    }

    private async Task<PipelineReport> RunCoreAsync(CancellationToken ct, CancellationToken disposing)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, disposing);
        _gen2AtStart = GC.CollectionCount(2);
        _startNs = MonotonicClock.NowNs();
        _latency.Start(_startNs);
        foreach (ProducerEntry p in _producers)
        {
            _log.Info($"pipeline: {p.Producer.Description}");
        }
        _log.Info($"pipeline: {_streams.Length} stream{(_streams.Length == 1 ? "" : "s")}, {DescribeModels()}" +
                  $"{(_streams.Length > 1 ? " (shared, round-robin)" : "")}, pace {_config.Pipeline.Pace}, publishing on {_publisher.Endpoint}");

        // When any stage fails or the caller stops, close the work-item free list too: the inference stage may be
        // waiting on it (without a token, which keeps the wait allocation-free).
        using CancellationTokenRegistration unblock = stop.Token.Register(() => _freeWork.Writer.TryComplete());
        Task publish = _publisher.RunAsync(_toPublish.Reader, _freeFrames.Return, stop.Token);
        await WaitForSubscriberAsync(publish, ct).ConfigureAwait(false);
        var producing = new Task[_producers.Length];
        for (int i = 0; i < producing.Length; i++)
        {
            ProducerEntry entry = _producers[i];
            producing[i] = ObserveProducer(Task.Run(() => entry.Producer.RunAsync(_framePool, stop.Token), CancellationToken.None), entry);
        }
        Task[] stages =
        [
            Task.Run(() => InferenceLoopAsync(_inferred.Writer), CancellationToken.None),
            Task.Run(() => PostProcessLoopAsync(_inferred.Reader, _toPublish.Writer, stop.Token), CancellationToken.None),
            publish,
        ];
        Exception? failure = null;
        try
        {
            await Task.WhenAll([.. Array.ConvertAll(stages, t => StopAllOnFailure(t, stop)), .. producing]).ConfigureAwait(false);
        }
        catch (Exception) when (ct.IsCancellationRequested && FirstFailure(stages, ignoreCancellation: true) is null)
        {
            // Ctrl-C or the caller's stop: a clean shutdown, not a failure.
        }
        catch (Exception)
        {
            failure = FirstFailure(stages, ignoreCancellation: true) ?? FirstFailure(stages, ignoreCancellation: false);
        }
        finally
        {
            _inferred.DrainAndRelease();
            _toPublish.DrainAndRelease();
            foreach (StreamContext s in _streams)
            {
                s.Ring.DrainAndRelease();
            }
        }
        if (failure is not null)
        {
            throw failure;
        }
        if (!ct.IsCancellationRequested && Array.TrueForAll(_streams, s => s.Failure is not null))
        {
            throw _streams[0].Failure!;
        }
        return Report();
    }

    /// <summary>
    /// A producer's failure is its streams' business (their rings carry it to the scheduler), not a reason to stop the
    /// pipeline. Completing the rings again here guards against a producer that failed before completing them.
    /// </summary>
    private async Task ObserveProducer(Task producing, ProducerEntry entry)
    {
        try
        {
            await producing.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (int i in entry.Streams)
            {
                _streams[i].Ring.Writer.TryComplete(e is OperationCanceledException ? null : e);
            }
        }
        finally
        {
            // A ring completed outside the signalling writer must still wake the scheduler.
            _framesArrived.Ring();
        }
    }

    /// <summary>The scheduler saw a stream's ring complete: note why, so the report and the log say which stream ended and how.</summary>
    private void OnStreamEnded(int index, Exception? failure)
    {
        StreamContext s = _streams[index];
        if (failure is null or OperationCanceledException or ChannelClosedException)
        {
            _log.Info($"stream {s.Name} ended after {s.Input.FramesRead} frames");
            return;
        }
        s.Fail(failure);
        int live = 0;
        foreach (StreamContext other in _streams)
        {
            live += other.Failure is null ? 1 : 0;
        }
        _log.Error($"stream {s.Name} ({s.Input.Uri}) failed: {failure.Message}" + (_streams.Length > 1 ? $"; {live} other stream{(live == 1 ? "" : "s")} go on" : ""));
    }

    /// <summary>Start-up only: with <c>wait_for_subscriber</c>, holds the first capture until someone subscribes (or the wait ends).</summary>
    private async Task WaitForSubscriberAsync(Task publish, CancellationToken ct)
    {
        TimeSpan limit = _config.Pipeline.WaitForSubscriber;
        if (limit <= TimeSpan.Zero)
        {
            return;
        }
        await Task.WhenAny(_publisher.Ready, publish).ConfigureAwait(false);
        long deadline = MonotonicClock.NowNs() + (long)limit.TotalNanoseconds;
        while (_publisher.SubscriptionsReceived == 0 && !publish.IsCompleted && !ct.IsCancellationRequested)
        {
            if (MonotonicClock.NowNs() >= deadline)
            {
                _log.Warn($"no subscriber on {_publisher.Endpoint} after {limit.TotalSeconds:0.#} s; starting anyway");
                return;
            }
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task StopAllOnFailure(Task stage, CancellationTokenSource stop)
    {
        try
        {
            await stage.ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The root cause among failed stages: the first failure that is not a consequence (cancellation, closed channel).</summary>
    private static Exception? FirstFailure(Task[] stages, bool ignoreCancellation)
    {
        foreach (Task t in stages)
        {
            if (t.IsFaulted && t.Exception!.InnerException is { } e &&
                (!ignoreCancellation || e is not (OperationCanceledException or ChannelClosedException)))
            {
                return e;
            }
        }
        return null;
    }

    /// <summary>
    /// Stage 2: take a free work item, then the next stream's newest frame (in rotation); letterbox it into the item's
    /// input and run the model. Waits use no cancellation token so they complete from pooled operations without
    /// allocating; shutdown arrives as the end of every stream or as the free list's completion (stop).
    /// </summary>
    private async Task InferenceLoopAsync(ChannelWriter<WorkItem> output)
    {
        Exception? error = null;
        ChannelReader<WorkItem> free = _freeWork.Reader;
        try
        {
            while (true)
            {
                // Free work item first, frame second: while we waited, the rings kept only the freshest frames.
                if (!free.TryRead(out WorkItem? work))
                {
                    work = await free.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                }
                int stream;
                FrameLease lease;
                while ((stream = _scheduler.TryTake(out lease)) < 0)
                {
                    if (_scheduler.AllEnded)
                    {
                        ReturnWork(work);
                        return;
                    }
                    // Any ring's write or completion rings the bell after it happened, so nothing slips between the scan and the wait.
                    await _framesArrived.WaitAsync().ConfigureAwait(false);
                }
                InferOne(_streams[stream], lease, work);
                bool written = output.TryWrite(work);
                Debug.Assert(written, "the inferred hand-off holds as many items as exist, so it is never full");
            }
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            output.TryComplete(error);
        }
    }

    private void InferOne(StreamContext stream, FrameLease lease, WorkItem work)
    {
        long dequeued = MonotonicClock.NowNs();
        Array.Clear(work.StageNs);
        try
        {
            FrameMetadata meta = lease.Metadata;
            work.Metadata = meta;
            work.StreamIndex = stream.Index;
            work.StageNs[(int)PipelineStage.Captured] = meta.CaptureMonotonicNs;
            work.StageNs[(int)PipelineStage.Dequeued] = dequeued;
            _runner.Preprocess(lease.Pointer, lease.Width, lease.Height, lease.Stride, work);
        }
        finally
        {
            // The pixels are in every model's input now; the slot can take the next frame.
            lease.Dispose();
        }
        work.Stamp(PipelineStage.Preprocessed);
        _runner.Run(work);
        work.Stamp(PipelineStage.Inferred);
    }

    /// <summary>Stage 3: decode, track, compose; hand the panoptic frame to the publisher.</summary>
    private async Task PostProcessLoopAsync(ChannelReader<WorkItem> input, ChannelWriter<PanopticFrame> output, CancellationToken ct)
    {
        Exception? error = null;
        try
        {
            while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (input.TryRead(out WorkItem? work))
                {
                    PanopticFrame? frame;
                    try
                    {
                        frame = ProcessOne(work);
                    }
                    finally
                    {
                        ReturnWork(work);
                    }
                    if (frame is not null && !output.TryWrite(frame))
                    {
                        // Only in lockstep (wait mode) can the queue to the publisher be full.
                        await output.WriteAsync(frame, ct).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            output.TryComplete(error);
        }
    }

    private PanopticFrame? ProcessOne(WorkItem work)
    {
        StreamContext stream = _streams[work.StreamIndex];
        DetectionSet detections = work.Detections;
        _runner.Decode(work);
        work.Stamp(PipelineStage.Decoded);
        Span<TrackInfo> tracks = work.Tracks.AsSpan(0, detections.Count);
        stream.Tracker.Update(detections.Items, work.Metadata.Sequence, tracks);
        work.Stamp(PipelineStage.Tracked);
        stream.CountProcessed();
        if (!_freeFrames.TryTake(out PanopticFrame frame))
        {
            // Every panoptic frame is queued or being sent: the publisher is behind. Drop here rather than wait.
            stream.CountDroppedDownstream();
            return null;
        }
        stream.Composer.Compose(work.Metadata, detections, tracks, work.Semantic, stream.FramesPerSecond, frame);
        work.Stamp(PipelineStage.Composed);
        frame.StreamIndex = stream.Index;
        frame.StreamName = stream.Name;
        frame.CategoryTableVersion = _models.Categories.Version;
        work.StageNs.AsSpan().CopyTo(frame.StageNs);
        return frame;
    }

    /// <summary>For the start line: "model yolo.onnx [yolo-seg] on CPUExecutionProvider", or every fused model.</summary>
    private string DescribeModels()
    {
        SegmentationModel[] models = _models.Models;
        if (models.Length == 1)
        {
            return $"model {Path.GetFileName(models[0].Path)} [{models[0].DecoderName}] on {models[0].ExecutionProvider}";
        }
        return $"{models.Length} models fused ({(_config.Pipeline.ConcurrentModels ? "side by side" : "one after the other")}): " + string.Join(" + ", Array.ConvertAll(models, m => $"{Path.GetFileName(m.Path)} [{m.DecoderName}] on {m.ExecutionProvider}"));
    }

    private void ReturnWork(WorkItem work)
    {
        // Fails only after shutdown closed the free list; every item is disposed through _allWork anyway.
        _freeWork.Writer.TryWrite(work);
    }

    private void CountPublishDrop(PanopticFrame frame) => _streams[frame.StreamIndex].CountDroppedDownstream();

    /// <summary>Runs on the publisher thread after each send.</summary>
    private void OnPublished(PanopticFrame frame, long publishNs)
    {
        _latency.Record(frame.StageNs, frame.StreamIndex);
        _streams[frame.StreamIndex].CountPublished();
        if (_dumper.Enabled)
        {
            _dumper.Write(frame);
        }
        long n = Interlocked.Increment(ref _published);
        // Precise: the imprecise count moves in allocation-context chunks (~8 KB), far coarser than the per-frame budget.
        long alloc = GC.GetTotalAllocatedBytes(precise: true);
        if (n == WarmUpFrames)
        {
            _allocAtWarmUp = alloc;
            _publishedAtWarmUp = n;
        }
        _allocAtLast = alloc;
        Volatile.Write(ref _lastPublishNs, frame.StageNs[(int)PipelineStage.Published]);
    }

    /// <summary>
    /// The live status line's figures, safe to call while running and allocation-free (the demo polls it twice a second;
    /// <see cref="Report"/> builds lists, a dictionary and strings, which count against the per-frame allocation budget).
    /// </summary>
    public PipelineStatus Status()
    {
        long published = 0, dropped = 0;
        int activeTracks = 0;
        foreach (StreamContext s in _streams)
        {
            dropped += s.FramesDropped;
            published += s.FramesPublished;
            activeTracks += s.Tracker.ActiveTracks.Length;
        }
        (double p50, double p99) = _latency.Percentiles(LatencyStage.CaptureToPublish);
        return new PipelineStatus(published, dropped, activeTracks, p50, p99, _models.Primary.ExecutionProvider);
    }

    /// <summary>The <c>--stats</c> content; safe to call while running for a live status (latency figures then lag slightly).</summary>
    public PipelineReport Report()
    {
        long captured = 0, processed = 0, published = 0, dropped = 0;
        int activeTracks = 0;
        var streams = new List<StreamCounters>(_streams.Length);
        foreach (StreamContext s in _streams)
        {
            IStreamInput c = s.Input;
            long streamDropped = s.FramesDropped;
            streams.Add(new StreamCounters(s.Name, c.FramesRead, s.FramesProcessed, s.FramesPublished, streamDropped, c.Reconnects, c.FramesCorrupt, c.FramesCopied)
            {
                Uri = c.Uri,
                FramesMissing = c.FramesMissing,
                CaptureToPublish = _latency.SummarizeStream(s.Index),
                Error = s.Failure?.Message,
            });
            activeTracks += s.Tracker.ActiveTracks.Length;
            captured += c.FramesRead;
            processed += s.FramesProcessed;
            published += s.FramesPublished;
            dropped += streamDropped;
        }
        var latency = new Dictionary<LatencyStage, LatencySummary>();
        foreach (LatencyStage stage in Enum.GetValues<LatencyStage>())
        {
            latency[stage] = _latency.Summarize(stage);
        }
        long end = published > 0 ? Volatile.Read(ref _lastPublishNs) : MonotonicClock.NowNs();
        double elapsed = Math.Max(1e-9, (end - _startNs) / 1e9);
        long measured = published - _publishedAtWarmUp;
        return new PipelineReport
        {
            FramesCaptured = captured,
            FramesProcessed = processed,
            FramesPublished = published,
            FramesDropped = dropped,
            Streams = streams,
            Latency = latency,
            LatencyWindows = _latency.Windows(),
            ElapsedSeconds = elapsed,
            ThroughputFps = published / elapsed,
            ManagedAllocBytesPerFrame = _publishedAtWarmUp > 0 && measured > 0 ? (double)(_allocAtLast - _allocAtWarmUp) / measured : 0,
            GcGen2Collections = GC.CollectionCount(2) - _gen2AtStart,
            ExecutionProvider = _models.Primary.ExecutionProvider,
            Models = Array.ConvertAll(_models.Models, m => new ModelSummary(m.Path, m.DecoderName, m.InputDescription, m.ExecutionProvider)),
            ActiveTracks = activeTracks,
        };
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing while running (e.g. the caller failed and unwinds): stop the run and wait for it, since the model's
        // slots and the frame pool are native memory that a running inference still writes.
        if (_running is { } running)
        {
            await _disposeStop!.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (Exception) when (running.IsFaulted || running.IsCanceled)
            {
                // The run's own failure was (or will be) reported to whoever awaited it; disposal only needs it stopped.
            }
        }
        _disposeStop?.Dispose();
        await _publisher.DisposeAsync().ConfigureAwait(false);
        _dumper.Dispose();
        foreach (ProducerEntry p in _producers)
        {
            p.Producer.Dispose();
        }
        _runner.Dispose();
        foreach (WorkItem w in _allWork)
        {
            w.Dispose();
        }
        _models.Dispose();
        if (_ownsPool)
        {
            _framePool.Dispose();
        }
    }
}
