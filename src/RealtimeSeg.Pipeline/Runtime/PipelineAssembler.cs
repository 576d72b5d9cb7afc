using System.Globalization;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Pipeline.Metrics;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Drives;
using RealtimeSeg.Pipeline.Runtime.Sinks;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;
using RealtimeSeg.Publishing.Overlay;
using RealtimeSeg.Tracking;
using RealtimeSeg.Web;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Start-up: opens every source (a <c>drive:FILE</c> source opens all its cameras, each a stream), loads the model(s),
/// checks that capacities agree, and sizes every pool, so that whatever can be wrong fails here — with exit 2 or 3 and
/// a message naming the file, key or source — before any frame flows. Nothing here touches the network: a live stream
/// that is unreachable connects later, on its capture thread.
/// </summary>
internal static class PipelineAssembler
{
    /// <summary>Slot size for a stream whose frame size is not known until it connects: 4K BGR. Only the pages a frame writes are ever touched.</summary>
    private static readonly int UnknownSizeSlotBytes = FramePool.BytesForBgr(3840, 2160);

    /// <summary>Frames the compose → encode hand-off holds.</summary>
    internal const int ComposedQueueCapacity = 2;

    public static PipelineParts Build(PipelineConfig config, IPipelineLog log, PipelineHostOptions host,
        Func<string, int, SourceOptions, IPipelineLog, IFrameSource> openSource)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        if (config.Sources.Count == 0)
        {
            throw new ConfigurationException("key 'sources': at least one source is required (--source URI or a sources: list)");
        }
        if ((config.Pipeline.Record is not null || config.Http.Enabled) && !config.Images.Enabled)
        {
            // A recording and the live viewer show what the model saw: they need the camera images.
            config = config with { Images = config.Images with { Enabled = true } };
        }
        StreamPlan[] plan = PlanStreams(config);
        bool lockstep = config.Pipeline.Pace == Pacing.Lockstep;
        HandOffMode mode = lockstep ? HandOffMode.Wait : HandOffMode.DropOldest;
        StreamContext[] streams = new StreamContext[plan.Length];
        var rings = new CaptureRings(plan.Length, config.Pipeline.QueueCapacity, mode, (i, e) => OnStreamEnded(streams, i, e, log));
        var sourceOptions = new SourceOptions { Pacing = config.Pipeline.Pace, MaxFrames = config.Pipeline.MaxFrames, FirstFrame = config.Pipeline.FirstFrame, Loop = config.Playback.Loop ?? false };

        var producers = new List<(IStreamProducer Producer, int[] Streams, int SlotsHeld)>();
        var inputs = new IStreamInput[plan.Length];
        var ownedPools = new List<FramePool>();
        var sinks = new List<IFrameSink>(host.Sinks);
        ModelSet? models = null;
        ModelRunner? runner = null;
        WorkItem[]? work = null;
        try
        {
            for (int i = 0; i < plan.Length;)
            {
                StreamPlan p = plan[i];
                if (p.Drive is null)
                {
                    var producer = new SourceProducer(openSource(p.Uri, i, p.Source?.ApplyTo(sourceOptions) ?? sourceOptions, log), p.Name, rings.Writer(i));
                    producers.Add((producer, [i], 0));
                    inputs[i] = producer;
                    i++;
                    continue;
                }
                if (config.Pipeline.FirstFrame > 0)
                {
                    throw new ConfigurationException($"key 'pipeline.first_frame': {p.Name} is a drive, which seeks by drive time: use playback.start / playback.end (--start/--end)");
                }
                int cameras = p.Drive.Cameras.Count;
                var writers = new System.Threading.Channels.ChannelWriter<FrameLease>[cameras];
                int[] indices = new int[cameras];
                for (int c = 0; c < cameras; c++)
                {
                    writers[c] = rings.Writer(i + c);
                    indices[c] = i + c;
                }
                DrivePlayer player = DrivePlayer.Open(p.Drive, config.Playback, i, writers, config.Pipeline.Pace, config.Pipeline.MaxFrames, log);
                for (int c = 0; c < cameras; c++)
                {
                    inputs[i + c] = player.Cameras[c];
                }
                producers.Add((player, indices, player.SlotsHeld));
                i += cameras;
            }

            models = ModelSet.Load(config, log);
            int heldByDrives = 0, largestFrame = 0;
            foreach ((_, _, int held) in producers)
            {
                heldByDrives += held;
            }
            foreach (IStreamInput input in inputs)
            {
                largestFrame = Math.Max(largestFrame, input.Width > 0 ? FramePool.BytesForBgr(input.Width, input.Height) : 0);
            }
            StartupChecks.Validate(config, models, host.FramePool, plan.Length, heldByDrives, largestFrame);
            ModelClasses classes = models.Classes;
            for (int i = 0; i < streams.Length; i++)
            {
                var composer = new PanopticComposer(config.Panoptic, classes.Categories, classes.ThingCategoryForClass.AsSpan(), classes.StuffCategoryForClass.AsSpan());
                double fps = inputs[i].FramesPerSecond;
                if (!TrackerOptions.IsKnownFrameRate(fps) && config.Tracker.TrackBufferFrames is null)
                {
                    log.Info(string.Create(CultureInfo.InvariantCulture,
                        $"{plan[i].Name}: frame rate not known yet; its lost-track buffer of {config.Tracker.TrackBufferSeconds:0.###} s is counted at {TrackerOptions.ReferenceFrameRate:0} fps"));
                }
                streams[i] = new StreamContext(i, plan[i].Name, inputs[i], rings, new ByteTracker(config.Tracker.ForFrameRate(fps)), composer,
                    config.Tracker.CameraMotion == CameraMotionMode.SparseFlow ? new Motion.SparseFlowCameraMotion() : null);
            }

            // Slots per producer: per stream its ring and one being decoded; what a drive holds; one being preprocessed.
            var entries = new ProducerEntry[producers.Count];
            for (int k = 0; k < entries.Length; k++)
            {
                (IStreamProducer producer, int[] indices, int held) = producers[k];
                FramePool? pool = host.FramePool;
                if (pool is null)
                {
                    int bytes = 0;
                    foreach (int i in indices)
                    {
                        bytes = Math.Max(bytes, inputs[i].Width > 0 ? FramePool.BytesForBgr(inputs[i].Width, inputs[i].Height) : UnknownSizeSlotBytes);
                    }
                    pool = new FramePool(StartupChecks.FrameSlotsNeeded(indices.Length, config.Pipeline, held), bytes);
                    ownedPools.Add(pool);
                }
                entries[k] = new ProducerEntry(producer, indices, pool);
            }

            runner = new ModelRunner(models, config.Pipeline.ConcurrentModels);
            work = new WorkItem[config.Pipeline.InFlightFrames];
            for (int i = 0; i < work.Length; i++)
            {
                work[i] = new WorkItem(models, PicturePlan.For(config).Any, grey: config.Tracker.CameraMotion != CameraMotionMode.Off);
            }

            var latency = new LatencyRecorder(streams.Length, config.Pipeline.LatencyWindow);
            PipelineHttp? http = null;
            StageLatencyMetrics? stageMetrics = null;
            if (config.Http.Enabled)
            {
                (Prometheus.CollectorRegistry registry, Prometheus.MetricFactory factory) = MetricsRegistry.Create();
                stageMetrics = new StageLatencyMetrics(factory, Array.ConvertAll(streams, st => st.Name));
                var health = new PipelineHealth(streams);
                var hub = new ViewerHub(health);
                ViewerMetrics.Register(registry, factory, hub);
                sinks.Add(new ViewerSink(hub));
                http = new PipelineHttp(config.Http, registry, factory, hub, health);
            }
            var stats = new StatsSink(latency, streams, stageMetrics);
            var publisher = new ZeroMqPublisher(lockstep ? LockstepPublishOptions(config.Publish, log) : config.Publish, log);
            sinks.Insert(0, publisher);
            sinks.Insert(0, stats);
            if (config.Pipeline.DumpMot is { } mot)
            {
                sinks.Add(new MotDumpSink(mot));
            }
            if (config.Pipeline.DumpDetections is { } detections)
            {
                sinks.Add(new DetectionDumpSink(detections));
            }
            if (config.Pipeline.DumpPanoptic is { } panoptic)
            {
                sinks.Add(new PanopticDumpSink(panoptic));
            }
            if (config.Pipeline.Record is { } record)
            {
                sinks.Add(new RecordingSink(record, config.Pipeline.RecordChunkDuration, config.Images));
            }
            if (config.Overlay.Enabled)
            {
                sinks.Add(new OverlaySink(config.Overlay, log));
            }
            SinkRunner[] runners = CreateSinkRunners(sinks, mode, log);
            if (http is not null)
            {
                PipelineMetrics.Register(http.Registry, http.Factory, streams, runners, models);
            }
            int maxQueue = 0;
            foreach (SinkRunner r in runners)
            {
                maxQueue = Math.Max(maxQueue, r.Capacity);
            }
            // Frames alive at once: the longest sink queue and the one its sink holds, the compose → encode hand-off,
            // one being composed and one being encoded. Every sink queue is a subset of the same recent frames.
            // Plus one per stream for its end of stream, which no queue drops.
            var composed = new ComposedFramePool(maxQueue + 1 + ComposedQueueCapacity + 2 + streams.Length, MapCells(inputs, config.Panoptic.MapDivisor), host.Diagnostics);

            // Random per run (process start): lets a subscriber or a recording tell two runs' frames with equal seq apart.
            string run = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            var sinkStreams = new SinkStream[streams.Length];
            for (int i = 0; i < streams.Length; i++)
            {
                sinkStreams[i] = new SinkStream(i, streams[i].Name, streams[i].Input.Uri, streams[i].Input.FramesPerSecond);
            }
            return new PipelineParts
            {
                Config = config,
                Log = log,
                Models = models,
                Runner = runner,
                Streams = streams,
                Producers = entries,
                Rings = rings,
                Work = work,
                FreeWork = new BlockingPool<WorkItem>(work),
                Composed = composed,
                Sinks = runners,
                SinkContext = new SinkContext(sinkStreams, models.Categories, run),
                Run = run,
                Publisher = publisher,
                Stats = stats,
                Latency = latency,
                Http = http,
                OwnedPools = [.. ownedPools],
            };
        }
        catch
        {
            foreach ((IStreamProducer producer, _, _) in producers)
            {
                producer.Dispose();
            }
            runner?.Dispose();
            if (work is not null)
            {
                foreach (WorkItem w in work)
                {
                    w?.Dispose();
                }
            }
            models?.Dispose();
            foreach (StreamContext? stream in streams)
            {
                stream?.CameraMotion?.Dispose();
            }
            foreach (FramePool pool in ownedPools)
            {
                pool.Dispose();
            }
            foreach (IFrameSink sink in sinks)
            {
                sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            throw;
        }
    }

    /// <summary>
    /// In lockstep nothing may be dropped, but ZeroMQ's XPUB drops a message for a subscriber whose queue is at the
    /// high-water mark (NetMQ has no ZMQ_XPUB_NODROP): a subscriber descheduled for a moment would lose frames. So a
    /// lockstep run lets each subscriber queue up to <see cref="LockstepSendHighWaterMark"/> messages (~15 MB of frames).
    /// </summary>
    internal const int LockstepSendHighWaterMark = 1000;

    private static Publishing.PublisherOptions LockstepPublishOptions(Publishing.PublisherOptions options, IPipelineLog log)
    {
        if (options.SendHighWaterMark >= LockstepSendHighWaterMark)
        {
            return options;
        }
        log.Info($"lockstep: publisher high-water mark {options.SendHighWaterMark} → {LockstepSendHighWaterMark} messages per subscriber, so a briefly slow subscriber loses nothing");
        return options with { SendHighWaterMark = LockstepSendHighWaterMark };
    }

    /// <summary>Map pixels of the largest stream whose size is known (the composer's map is the image / divisor, rounded up).</summary>
    private static int MapCells(IStreamInput[] inputs, int divisor)
    {
        int cells = 0;
        foreach (IStreamInput input in inputs)
        {
            cells = Math.Max(cells, ((input.Width + divisor - 1) / divisor) * ((input.Height + divisor - 1) / divisor));
        }
        return cells;
    }

    private static SinkRunner[] CreateSinkRunners(List<IFrameSink> sinks, HandOffMode mode, IPipelineLog log)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var runners = new SinkRunner[sinks.Count];
        for (int i = 0; i < runners.Length; i++)
        {
            IFrameSink sink = sinks[i];
            if (!names.Add(sink.Name))
            {
                throw new ConfigurationException($"two sinks are named '{sink.Name}'; sink names must be unique (they name the sink in stats and logs)");
            }
            if (sink.QueueCapacity is < 1 or > 1024)
            {
                throw new ConfigurationException($"sink '{sink.Name}' asks for a queue of {sink.QueueCapacity} frames; 1…1024 are allowed");
            }
            runners[i] = new SinkRunner(sink, sink.QueueCapacity, mode, log);
        }
        return runners;
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
            plan.Add(new StreamPlan(source.Name ?? "s" + plan.Count.ToString(CultureInfo.InvariantCulture), source.Uri, null, source));
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

    /// <summary>The inference stage saw a stream's ring complete: note why, so the report and the log say which stream ended and how.</summary>
    private static void OnStreamEnded(StreamContext[] streams, int index, Exception? failure, IPipelineLog log)
    {
        StreamContext s = streams[index];
        s.MarkEnded();
        if (failure is null or OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            log.Info($"stream {s.Name} ended after {s.Input.FramesRead} frames");
            return;
        }
        s.Fail(failure);
        int live = 0;
        foreach (StreamContext other in streams)
        {
            live += other.Failure is null ? 1 : 0;
        }
        log.Error($"stream {s.Name} ({s.Input.Uri}) failed: {failure.Message}" + (streams.Length > 1 ? $"; {live} other stream{(live == 1 ? "" : "s")} go on" : ""));
    }
}
