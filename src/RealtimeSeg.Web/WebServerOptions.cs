using Prometheus;
using RealtimeSeg.Web.Health;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Web;

/// <summary>What the HTTP endpoint serves; a part left null answers 404.</summary>
public sealed record WebServerOptions
{
    /// <summary>Where to listen (loopback by default: <c>--http</c>).</summary>
    public required HttpListenAddress Listen { get; init; }

    /// <summary>
    /// When the port is taken, try the next ones up to this many (the demo's default port); 0 fails at once. Port 0 (the
    /// system picks) never needs it.
    /// </summary>
    public int NextFreePorts { get; init; }

    /// <summary>The live viewer: <c>/</c>, its files and the <c>/ws</c> WebSocket.</summary>
    public ViewerHub? Viewer { get; init; }

    /// <summary>What <c>/metrics</c> exports (Prometheus text format).</summary>
    public CollectorRegistry? Metrics { get; init; }

    /// <summary>Per-stream state for <c>/readyz</c>.</summary>
    public IHealthSource? Health { get; init; }

    public Readiness Readiness { get; init; } = new(Readiness.DefaultMaxFrameAge);
}
