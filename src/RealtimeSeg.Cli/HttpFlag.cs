using System.CommandLine;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Web;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>--http ADDR:PORT</c> of <c>run</c>, <c>demo</c> and <c>view</c>: the viewer, <c>/metrics</c>, <c>/healthz</c> and
/// <c>/readyz</c> on one endpoint (the <c>http:</c> section). <c>none</c> turns it off (the demo serves it by default);
/// port 0 lets the system pick one, named on stderr once bound.
/// </summary>
internal static class HttpFlag
{
    public const string Off = "none";

    public static readonly Option<string?> Option = new("--http")
    {
        Description = "serve the live viewer, /metrics, /healthz and /readyz on ADDR:PORT (loopback by default; PORT or 0 alone: 127.0.0.1; 0 = any free port; 'none' = off; docs/viewer.md)",
    };

    /// <summary>Applies the flag over <paramref name="config"/>'s <c>http:</c> section (unchanged without the flag).</summary>
    public static PipelineConfig Apply(ParseResult parse, PipelineConfig config)
    {
        string? value = parse.GetValue(Option);
        if (value is null)
        {
            return config;
        }
        if (string.Equals(value.Trim(), Off, StringComparison.OrdinalIgnoreCase))
        {
            return config with { Http = config.Http with { Listen = null } };
        }
        HttpListenAddress.Parse(value, "--http");
        // An address given on the command line is the one wanted: no hunting for the next free port.
        return config with { Http = config.Http with { Listen = value.Trim(), NextFreePorts = 0 } };
    }

    /// <summary>The line tests and people read: where the endpoint listens, with the port it got.</summary>
    public static string Banner(Uri address)
        => $"viewer: open {address} in a browser   (metrics {address}metrics, health {address}healthz, {address}readyz)";
}
