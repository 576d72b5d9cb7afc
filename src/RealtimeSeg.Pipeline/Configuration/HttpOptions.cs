using RealtimeSeg.Web;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// The HTTP endpoint (the <c>http:</c> section; <c>--http ADDR:PORT</c>): the live viewer (<c>/</c> and its WebSocket),
/// Prometheus metrics (<c>/metrics</c>, docs/metrics.md), liveness (<c>/healthz</c>) and readiness (<c>/readyz</c>).
/// Off unless <see cref="Listen"/> is set. Turns images on: the viewer shows the camera frame under the overlay.
/// </summary>
public sealed record HttpOptions
{
    /// <summary>Where to listen: <c>ADDR:PORT</c>, e.g. <c>127.0.0.1:8080</c>; port 0 lets the system pick one. Null (default): no HTTP endpoint.</summary>
    public string? Listen { get; init; }

    /// <summary>When the port is taken, try up to this many next ones (the demo uses 20 from 8080). Default 0: fail at once. 0…1000.</summary>
    public int NextFreePorts { get; init; }

    /// <summary><c>/readyz</c> answers 503 when a stream has published no frame for this long (or is not running). Default 5s; 0.1s…1h.</summary>
    public TimeSpan ReadyMaxFrameAge { get; init; } = Web.Health.Readiness.DefaultMaxFrameAge;

    /// <summary>Whether an endpoint is configured at all.</summary>
    public bool Enabled => Listen is not null;

    /// <summary>The parsed <see cref="Listen"/> (throws <see cref="Core.ConfigurationException"/> naming the key when it is malformed).</summary>
    public HttpListenAddress Address() => HttpListenAddress.Parse(Listen ?? "", "http.listen");

    public void Validate()
    {
        if (Listen is not null)
        {
            Address();
        }
        if (NextFreePorts is < 0 or > 1000)
        {
            throw new ArgumentException($"must be 0…1000 (got {NextFreePorts})", nameof(NextFreePorts));
        }
        if (ReadyMaxFrameAge < TimeSpan.FromMilliseconds(100) || ReadyMaxFrameAge > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"must be 0.1s…1h (got {ReadyMaxFrameAge.TotalSeconds} s)", nameof(ReadyMaxFrameAge));
        }
    }
}
