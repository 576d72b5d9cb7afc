using Prometheus;

namespace RealtimeSeg.Web;

/// <summary>
/// A Prometheus registry of one's own (never prometheus-net's process-wide default, which would also start its event
/// listeners): .NET's GC counts, memory, CPU and threads (<see cref="DotNetStats"/>), and a factory for what the run adds.
/// </summary>
public static class MetricsRegistry
{
    public static (CollectorRegistry Registry, MetricFactory Factory) Create()
    {
        CollectorRegistry registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        return (registry, Prometheus.Metrics.WithCustomRegistry(registry));
    }
}
