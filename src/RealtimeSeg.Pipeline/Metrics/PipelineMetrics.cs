using Prometheus;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Runtime.Sinks;

namespace RealtimeSeg.Pipeline.Metrics;

/// <summary>
/// The run's Prometheus metrics besides the stage histograms (docs/metrics.md): per stream frame counters, drops by
/// cause, reconnects and state; per sink queue depth and drops; the model and its execution provider; the process's
/// allocation. All of them are read from the counters the pipeline keeps anyway, at scrape time (a before-collect
/// callback), so a scrape costs the pipeline nothing and nothing is measured twice. .NET's own GC counts, working set
/// and CPU come from prometheus-net's <see cref="DotNetStats"/>.
/// </summary>
internal sealed class PipelineMetrics
{
    private readonly StreamContext[] _streams;
    private readonly SinkRunner[] _sinks;
    private readonly StreamMetrics[] _byStream;
    private readonly SinkMetrics[] _bySink;
    private readonly Counter _allocated;

    private PipelineMetrics(MetricFactory f, StreamContext[] streams, SinkRunner[] sinks, ModelSet models)
    {
        _streams = streams;
        _sinks = sinks;
        var perStream = new[] { "stream" };
        Counter captured = f.CreateCounter("rseg_stream_frames_captured_total", "Frames the stream's source produced (delivered or dropped).", Labels(perStream));
        Counter processed = f.CreateCounter("rseg_stream_frames_processed_total", "Frames of the stream the model ran on.", Labels(perStream));
        Counter published = f.CreateCounter("rseg_stream_frames_published_total", "Frames of the stream handed to the sinks (the socket, recorder, viewer, ...).", Labels(perStream));
        Counter dropped = f.CreateCounter("rseg_stream_frames_dropped_total",
            "Frames of the stream lost before publishing, by cause: source (no free frame slot; a drive camera's unmatched frame), capture_queue (the capture ring dropped the oldest: inference was behind), encode_queue (dropped after inference on the way to the encoder).",
            Labels(["stream", "cause"]));
        Counter corrupt = f.CreateCounter("rseg_stream_frames_corrupt_total", "Frames the source could not decode and skipped.", Labels(perStream));
        Counter reconnects = f.CreateCounter("rseg_stream_reconnects_total", "Times a network or device source got its stream back after losing it.", Labels(perStream));
        Counter connectFailures = f.CreateCounter("rseg_stream_connect_failures_total", "Failed connection attempts of a network or device source (each followed by a retry).", Labels(perStream));
        Gauge state = f.CreateGauge("rseg_stream_state", "1 for the stream's current state (connecting, running, reconnecting, ended, failed), 0 for the others.", GaugeLabels(["stream", "state"]));
        Gauge tracks = f.CreateGauge("rseg_stream_active_tracks", "Tracks matched on the stream's latest frame.", GaugeLabels(perStream));
        Gauge lastPublish = f.CreateGauge("rseg_stream_last_publish_timestamp_seconds", "Unix time at which the stream's latest frame was published (0 before the first).", GaugeLabels(perStream));
        _byStream = new StreamMetrics[streams.Length];
        for (int i = 0; i < streams.Length; i++)
        {
            string name = streams[i].Name;
            var states = new Gauge.Child[Enum.GetValues<StreamState>().Length];
            foreach (StreamState s in Enum.GetValues<StreamState>())
            {
                states[(int)s] = state.WithLabels(name, Web.Viewer.ViewerHub.StateName(s));
            }
            _byStream[i] = new StreamMetrics(captured.WithLabels(name), processed.WithLabels(name), published.WithLabels(name),
                dropped.WithLabels(name, "source"), dropped.WithLabels(name, "capture_queue"), dropped.WithLabels(name, "encode_queue"),
                corrupt.WithLabels(name), reconnects.WithLabels(name), connectFailures.WithLabels(name), states, tracks.WithLabels(name), lastPublish.WithLabels(name));
        }

        var perSink = new[] { "sink" };
        Counter offered = f.CreateCounter("rseg_sink_frames_offered_total", "Frames handed to the sink's queue.", Labels(perSink));
        Counter sinkDropped = f.CreateCounter("rseg_sink_frames_dropped_total", "Frames the sink never got: evicted from its full queue (drop-oldest), or offered after it failed.", Labels(perSink));
        Gauge depth = f.CreateGauge("rseg_sink_queue_depth", "Frames waiting in the sink's queue now.", GaugeLabels(perSink));
        Gauge capacity = f.CreateGauge("rseg_sink_queue_capacity", "Frames the sink's queue holds before it drops the oldest.", GaugeLabels(perSink));
        Gauge failed = f.CreateGauge("rseg_sink_failed", "1 when the sink failed and was cut off (the run goes on without it).", GaugeLabels(perSink));
        _bySink = new SinkMetrics[sinks.Length];
        for (int i = 0; i < sinks.Length; i++)
        {
            string name = sinks[i].Name;
            _bySink[i] = new SinkMetrics(offered.WithLabels(name), sinkDropped.WithLabels(name), depth.WithLabels(name), failed.WithLabels(name));
            capacity.WithLabels(name).Set(sinks[i].Capacity);
        }

        Gauge model = f.CreateGauge("rseg_model_info", "1 per loaded model: its file, output decoder, input and the ONNX Runtime execution provider it runs on.",
            GaugeLabels(["model", "decoder", "input", "execution_provider"]));
        foreach (Inference.SegmentationModel m in models.Models)
        {
            model.WithLabels(Path.GetFileName(m.Path), m.DecoderName, m.InputDescription, m.ExecutionProvider).Set(1);
        }
        _allocated = f.CreateCounter("rseg_managed_allocated_bytes_total", "Managed bytes the process has allocated (GC.GetTotalAllocatedBytes, imprecise: moves in allocation-context chunks); rate() is the allocation rate.", new CounterConfiguration { ExemplarBehavior = ExemplarBehavior.NoExemplars() });
    }

    /// <summary>Registers the run's metrics on <paramref name="registry"/>, refreshed from the pipeline's counters at every scrape.</summary>
    public static void Register(CollectorRegistry registry, MetricFactory factory, StreamContext[] streams, SinkRunner[] sinks, ModelSet models)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var metrics = new PipelineMetrics(factory, streams, sinks, models);
        registry.AddBeforeCollectCallback(metrics.Refresh);
    }

    private static CounterConfiguration Labels(string[] names) => new() { LabelNames = names, ExemplarBehavior = ExemplarBehavior.NoExemplars() };

    private static GaugeConfiguration GaugeLabels(string[] names) => new() { LabelNames = names };

    /// <summary>Copies the pipeline's counters into the metrics; runs on the scraping request's thread.</summary>
    private void Refresh()
    {
        long nowNs = MonotonicClock.NowNs();
        double nowUnix = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        for (int i = 0; i < _streams.Length; i++)
        {
            StreamContext s = _streams[i];
            StreamMetrics m = _byStream[i];
            IStreamInput input = s.Input;
            m.Captured.IncTo(input.FramesRead);
            m.Processed.IncTo(s.FramesProcessed);
            m.Published.IncTo(s.FramesPublished);
            m.DroppedSource.IncTo(input.FramesDroppedAtSource);
            m.DroppedCaptureQueue.IncTo(s.FramesDroppedInRing);
            m.DroppedEncodeQueue.IncTo(s.FramesDroppedDownstream);
            m.Corrupt.IncTo(input.FramesCorrupt);
            m.Reconnects.IncTo(input.Reconnects);
            m.ConnectFailures.IncTo(input.ConnectFailures);
            StreamState state = s.State;
            for (int k = 0; k < m.States.Length; k++)
            {
                m.States[k].Set(k == (int)state ? 1 : 0);
            }
            m.ActiveTracks.Set(s.Tracker.ActiveTracks.Length);
            long last = s.LastPublishedNs;
            m.LastPublish.Set(last == 0 ? 0 : nowUnix - ((nowNs - last) / 1e9));
        }
        for (int i = 0; i < _sinks.Length; i++)
        {
            SinkRunner r = _sinks[i];
            SinkMetrics m = _bySink[i];
            m.Offered.IncTo(r.Offered);
            m.Dropped.IncTo(r.Dropped);
            m.Depth.Set(r.QueueDepth);
            m.Failed.Set(r.Failure is null ? 0 : 1);
        }
        _allocated.IncTo(GC.GetTotalAllocatedBytes(precise: false));
    }

    private sealed record StreamMetrics(Counter.Child Captured, Counter.Child Processed, Counter.Child Published,
        Counter.Child DroppedSource, Counter.Child DroppedCaptureQueue, Counter.Child DroppedEncodeQueue, Counter.Child Corrupt,
        Counter.Child Reconnects, Counter.Child ConnectFailures, Gauge.Child[] States, Gauge.Child ActiveTracks, Gauge.Child LastPublish);

    private sealed record SinkMetrics(Counter.Child Offered, Counter.Child Dropped, Gauge.Child Depth, Gauge.Child Failed);
}
