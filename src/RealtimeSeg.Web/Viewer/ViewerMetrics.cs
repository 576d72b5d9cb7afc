using Prometheus;

namespace RealtimeSeg.Web.Viewer;

/// <summary>The live viewer's Prometheus metrics (docs/metrics.md), read from the hub's counters at scrape time.</summary>
public static class ViewerMetrics
{
    public static void Register(CollectorRegistry registry, MetricFactory factory, ViewerHub hub)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(hub);
        var none = new CounterConfiguration { ExemplarBehavior = ExemplarBehavior.NoExemplars() };
        Gauge clients = factory.CreateGauge("rseg_viewer_clients", "Browsers connected to the live viewer now.");
        Counter served = factory.CreateCounter("rseg_viewer_connections_total", "Browser connections the viewer has accepted.", none);
        Counter sent = factory.CreateCounter("rseg_viewer_frames_sent_total", "Frames sent to browsers, summed over them.", none);
        Counter skipped = factory.CreateCounter("rseg_viewer_frames_skipped_total",
            "Frames a browser did not get because a newer frame of the same stream replaced them while it waited (the browser was slower than the stream); the pipeline is not affected.", none);
        Counter bytes = factory.CreateCounter("rseg_viewer_sent_bytes_total", "Bytes of frame messages sent to browsers.", none);
        registry.AddBeforeCollectCallback(() =>
        {
            clients.Set(hub.ClientCount);
            served.IncTo(hub.ClientsServed);
            sent.IncTo(hub.FramesSent);
            skipped.IncTo(hub.FramesSkipped);
            bytes.IncTo(hub.BytesSent);
        });
    }
}
