using Prometheus;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Web.Health;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>What the run's HTTP endpoint serves: the viewer's hub (fed by the viewer sink), the metrics registry and the streams' health.</summary>
internal sealed record PipelineHttp(HttpOptions Options, CollectorRegistry Registry, MetricFactory Factory, ViewerHub Viewer, IHealthSource Health);
