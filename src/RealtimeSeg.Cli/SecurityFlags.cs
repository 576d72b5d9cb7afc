using System.CommandLine;
using RealtimeSeg.Publishing;

namespace RealtimeSeg.Cli;

/// <summary>
/// ZeroMQ CURVE flags (docs/security.md): publishers (<c>run</c>, <c>demo</c>, <c>replay</c>) take <c>--curve-secret</c>
/// and <c>--insecure</c>; clients (<c>subscribe</c>, <c>record</c>) take <c>--server-key</c>.
/// </summary>
internal static class SecurityFlags
{
    public static readonly Option<string?> CurveSecretOption = new("--curve-secret")
    {
        Description = "publish with ZeroMQ CURVE using this secret certificate (NAME.key_secret from `realtimeseg keys generate`); subscribers then need NAME.key",
    };

    public static readonly Option<bool> InsecureOption = new("--insecure")
    {
        Description = "allow publishing on a non-loopback address without --curve-secret (plaintext; anyone who can reach the port can subscribe)",
    };

    public static readonly Option<string?> ServerKeyOption = new("--server-key")
    {
        Description = "the publisher's public certificate (NAME.key) when it publishes with --curve-secret",
    };

    public static IEnumerable<Option> Publisher => [CurveSecretOption, InsecureOption];

    /// <summary>Applies the publisher flags over <paramref name="options"/>; validation (the refusal to expose an endpoint without keys) is the options'.</summary>
    public static PublisherOptions Apply(ParseResult parse, PublisherOptions options)
    {
        if (parse.GetValue(CurveSecretOption) is { } secret)
        {
            options = options with { CurveSecret = Path.GetFullPath(secret) };
        }
        if (parse.GetValue(InsecureOption))
        {
            options = options with { Insecure = true };
        }
        return options;
    }

    /// <summary>" --server-key DIR/NAME.key" for the hints that tell how to subscribe, or "" for a plaintext publisher.</summary>
    public static string SubscribeHint(PublisherOptions options) => options.CurveSecret is { } secret
        ? " --server-key " + (secret.EndsWith(".key_secret", StringComparison.Ordinal) ? secret[..^"_secret".Length] : "NAME.key")
        : "";

    /// <summary>The <c>--server-key</c> path, made absolute, or null.</summary>
    public static string? ServerKey(ParseResult parse) => parse.GetValue(ServerKeyOption) is { } key ? Path.GetFullPath(key) : null;
}
