using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// The composition of one pipeline run:
/// <code>
///  source ─(ring: drop-oldest | wait)─► inference ─(work items, wait)─► post-process ─(drop-oldest | wait)─► publisher
///  thread        FrameLease             preprocess+Run      WorkItem    decode→track→compose   PanopticFrame     socket thread
/// </code>
/// Each arrow is a bounded <see cref="HandOff{T}"/>; each stage completes its writer in <c>finally</c> (with the
/// exception on failure), so the end of a file or a failure anywhere flows to the right and stops everything.
/// Inference of frame k+1 overlaps post-processing of frame k because there are several
/// <see cref="WorkItem"/>s, each with its own model I/O buffers. After warm-up no stage allocates.
/// </summary>
public sealed class SegmentationPipeline : IAsyncDisposable
{
    /// <summary>Published frames before allocation is measured (JIT, pools and buffers settle first).</summary>
    private const int WarmUpFrames = 5;

    private readonly PipelineConfig _config;
    private readonly IPipelineLog _log;
    private readonly SegmentationModel _model;
    private readonly FramePool _framePool;
    private readonly StreamContext[] _streams;
    private readonly WorkItem[] _allWork;
    private readonly Channel<WorkItem> _freeWork;
    private readonly HandOff<WorkItem> _inferred;
    private readonly ObjectStack<PanopticFrame> _freeFrames;
    private readonly HandOff<PanopticFrame> _toPublish;
    private readonly ZeroMqPublisher _publisher;
    private readonly LatencyRecorder _latency = new();
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

    private SegmentationPipeline(PipelineConfig config, IPipelineLog log, SegmentationModel model, FramePool framePool, StreamContext[] streams, ZeroMqPublisher publisher, bool ownsPool)
    {
        _config = config;
        _log = log;
        _model = model;
        _framePool = framePool;
        _streams = streams;
        _publisher = publisher;
        _ownsPool = ownsPool;
        int inFlight = config.Pipeline.InFlightFrames;
        _allWork = new WorkItem[inFlight];
        // The free list is a channel so the inference stage can await a free item without allocating.
        _freeWork = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(inFlight) { SingleReader = true, SingleWriter = false });
        for (int i = 0; i < inFlight; i++)
        {
            _allWork[i] = new WorkItem(model);
            _freeWork.Writer.TryWrite(_allWork[i]);
        }
        _inferred = new HandOff<WorkItem>(inFlight, HandOffMode.Wait, ReturnWork);
        // Enough frames for: one being composed, the queue to the publisher, one being sent.
        int publishQueue = 2;
        _freeFrames = new ObjectStack<PanopticFrame>(publishQueue + 2, () => new PanopticFrame());
        HandOffMode publishMode = config.Pipeline.Pace == Pacing.Lockstep ? HandOffMode.Wait : HandOffMode.DropOldest;
        _toPublish = new HandOff<PanopticFrame>(publishQueue, publishMode, _freeFrames.Return, CountPublishDrop);
        _publisher.OnPublished = OnPublished;
        _dumper = new FrameDumper(config.Pipeline.DumpMot, config.Pipeline.DumpPanoptic, model.Categories);
    }

    public PipelineConfig Config => _config;
    public string ExecutionProvider => _model.ExecutionProvider;
    public CategoryTable Categories => _model.Categories;
    public string PublishEndpoint => _publisher.Endpoint;
    public IReadOnlyList<string> StreamNames => Array.ConvertAll(_streams, s => s.Name);

    /// <summary>
    /// Opens every source and the model and binds the publisher. Throws <see cref="SourceUnavailableException"/> or
    /// <see cref="ModelLoadException"/> (exit 3) and <see cref="ConfigurationException"/> (exit 2) before any frame flows.
    /// </summary>
    public static SegmentationPipeline Create(PipelineConfig config, IPipelineLog log, FramePool? framePool = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        if (config.Sources.Count != 1)
        {
            throw new ConfigurationException(
                $"key 'sources': this version runs exactly one source per pipeline (got {config.Sources.Count}); start one pipeline per stream");
        }
        var sourceOptions = new SourceOptions { Pacing = config.Pipeline.Pace, MaxFrames = config.Pipeline.MaxFrames };
        var opened = new List<IFrameSource>();
        SegmentationModel? model = null;
        ZeroMqPublisher? publisher = null;
        bool ownsPool = framePool is null;
        try
        {
            for (int i = 0; i < config.Sources.Count; i++)
            {
                opened.Add(FrameSourceFactory.Open(config.Sources[i].Uri, i, sourceOptions, log));
            }
            model = SegmentationModel.Load(config.Model, log);
            int maxBytes = 0;
            foreach (IFrameSource s in opened)
            {
                maxBytes = Math.Max(maxBytes, FramePool.BytesForBgr(s.Width, s.Height));
            }
            // Slots: the queue, one being decoded by the source, one being preprocessed, one spare.
            framePool ??= new FramePool(config.Pipeline.QueueCapacity + 3, maxBytes);
            HandOffMode ringMode = config.Pipeline.Pace == Pacing.Lockstep ? HandOffMode.Wait : HandOffMode.DropOldest;
            ModelClasses classes = model.Classes;
            var streams = new StreamContext[opened.Count];
            for (int i = 0; i < streams.Length; i++)
            {
                var ring = new HandOff<FrameLease>(config.Pipeline.QueueCapacity, ringMode, static lease => lease.Dispose());
                var composer = new PanopticComposer(config.Panoptic, classes.Categories, classes.ThingCategoryForClass.AsSpan(), classes.StuffCategoryForClass.AsSpan());
                streams[i] = new StreamContext(i, config.StreamName(i), opened[i], ring, new ByteTracker(config.Tracker), composer);
            }
            publisher = new ZeroMqPublisher(config.Publish, log);
            foreach (StreamContext s in streams)
            {
                publisher.AddStream(s.Index, s.Name, model.Categories);
            }
            return new SegmentationPipeline(config, log, model, framePool, streams, publisher, ownsPool);
        }
        catch
        {
            foreach (IFrameSource s in opened)
            {
                s.Dispose();
            }
            model?.Dispose();
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

    /// <summary>Runs until every source ends, <c>max_frames</c> is reached or <paramref name="ct"/> is cancelled.</summary>
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
        StreamContext stream = _streams[0];
        _log.Info($"pipeline: {stream.Name} = {stream.Source.Uri} ({stream.Source.Width}x{stream.Source.Height} @ {stream.Source.FramesPerSecond:0.##} fps), " +
                  $"model {Path.GetFileName(_model.Path)} [{_model.DecoderName}] on {_model.ExecutionProvider}, pace {_config.Pipeline.Pace}, publishing on {_publisher.Endpoint}");

        // When any stage fails or the caller stops, close the work-item free list too: the inference stage may be
        // waiting on it (without a token, which keeps the wait allocation-free).
        using CancellationTokenRegistration unblock = stop.Token.Register(() => _freeWork.Writer.TryComplete());
        Task publish = _publisher.RunAsync(_toPublish.Reader, _freeFrames.Return, stop.Token);
        await WaitForSubscriberAsync(publish, ct).ConfigureAwait(false);
        Task[] stages =
        [
            Task.Run(() => stream.Source.RunAsync(_framePool, stream.Ring.Writer, stop.Token), CancellationToken.None),
            Task.Run(() => InferenceLoopAsync(stream, _inferred.Writer), CancellationToken.None),
            Task.Run(() => PostProcessLoopAsync(_inferred.Reader, _toPublish.Writer, stop.Token), CancellationToken.None),
            publish,
        ];
        Exception? failure = null;
        try
        {
            await Task.WhenAll(Array.ConvertAll(stages, t => StopAllOnFailure(t, stop))).ConfigureAwait(false);
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
            stream.Ring.DrainAndRelease();
        }
        if (failure is not null)
        {
            throw failure;
        }
        return Report();
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
    /// Stage 2: take a free work item, then the newest frame; letterbox it into the item's input and run the model.
    /// Waits use no cancellation token so they complete from pooled operations without allocating; shutdown
    /// arrives as the ring's completion (end of source) or the free list's (stop).
    /// </summary>
    private async Task InferenceLoopAsync(StreamContext stream, ChannelWriter<WorkItem> output)
    {
        Exception? error = null;
        ChannelReader<FrameLease> ring = stream.Ring.Reader;
        ChannelReader<WorkItem> free = _freeWork.Reader;
        try
        {
            while (true)
            {
                // Free work item first, frame second: while we waited, the ring kept only the freshest frames.
                if (!free.TryRead(out WorkItem? work))
                {
                    work = await free.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                }
                FrameLease lease;
                while (!ring.TryRead(out lease))
                {
                    if (!await ring.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        ReturnWork(work);
                        return;
                    }
                }
                InferOne(stream, lease, work);
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
            _model.Preprocess(lease.Pointer, lease.Width, lease.Height, lease.Stride, work.Slot);
        }
        finally
        {
            // The pixels are in the model's input now; the slot can take the next frame.
            lease.Dispose();
        }
        work.Stamp(PipelineStage.Preprocessed);
        _model.Run(work.Slot);
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
        _model.Decode(work.Slot, detections, work.Semantic);
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
        frame.CategoryTableVersion = _model.Categories.Version;
        work.StageNs.AsSpan().CopyTo(frame.StageNs);
        return frame;
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
        _latency.Record(frame.StageNs);
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

    /// <summary>The <c>--stats</c> content; safe to call while running for a live status (latency figures then lag slightly).</summary>
    public PipelineReport Report()
    {
        long captured = 0, processed = 0, published = 0, dropped = 0;
        var streams = new List<StreamCounters>(_streams.Length);
        foreach (StreamContext s in _streams)
        {
            SourceCounters c = s.Source.Counters;
            long streamDropped = s.Ring.Dropped + c.FramesDroppedNoSlot + s.FramesDroppedDownstream;
            streams.Add(new StreamCounters(s.Name, c.FramesRead, s.FramesProcessed, s.FramesPublished, streamDropped, c.Reconnects, c.FramesCorrupt, c.FramesCopied));
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
            ElapsedSeconds = elapsed,
            ThroughputFps = published / elapsed,
            ManagedAllocBytesPerFrame = _publishedAtWarmUp > 0 && measured > 0 ? (double)(_allocAtLast - _allocAtWarmUp) / measured : 0,
            GcGen2Collections = GC.CollectionCount(2) - _gen2AtStart,
            ExecutionProvider = _model.ExecutionProvider,
            Models = [new ModelSummary(_model.Path, _model.DecoderName, _model.InputDescription, _model.ExecutionProvider)],
            ActiveTracks = _streams[0].Tracker.ActiveTracks.Length,
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
        foreach (StreamContext s in _streams)
        {
            s.Dispose();
        }
        foreach (WorkItem w in _allWork)
        {
            w.Dispose();
        }
        _model.Dispose();
        if (_ownsPool)
        {
            _framePool.Dispose();
        }
    }
}
