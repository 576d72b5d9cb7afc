namespace RealtimeSeg.Fleet;

/// <summary>
/// How to reach the fleet's NATS servers. Credentials and TLS use the client's standard options: user and password in
/// the URL (<c>nats://user:pass@host:4222</c>), a token (<c>nats://token@host</c>), a <c>.creds</c> file (JWT + NKey),
/// <c>tls://</c> URLs with an optional CA file. Logs show <see cref="RedactedUrl"/>, never the secret.
/// </summary>
public sealed record FleetConnectionOptions
{
    /// <summary>One or more server URLs, comma separated (a cluster: the client fails over between them).</summary>
    public required string Url { get; init; }

    /// <summary>A NATS credentials file (<c>nsc</c>'s <c>.creds</c>), or null.</summary>
    public string? CredsFile { get; init; }

    /// <summary>A CA bundle to verify the servers' TLS certificates, or null for the system's.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>The connection's name as the server shows it (<c>nats-server</c>'s connz).</summary>
    public string ClientName { get; init; } = "realtimeseg";

    /// <summary><see cref="Url"/> with any password or token replaced by <c>***</c>.</summary>
    public string RedactedUrl => RedactUrls(Url);

    /// <summary>Validates the URL list; errors name the option and the offending (redacted) URL.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            throw new ArgumentException("--nats: a server URL is required, e.g. nats://127.0.0.1:4222");
        }
        foreach (string one in Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(one, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("nats" or "tls" or "ws" or "wss") || string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException($"--nats: '{RedactUrls(one)}' is not a NATS server URL; expected nats://HOST:PORT (or tls://, ws://, wss://)");
            }
        }
        if (CredsFile is not null && !File.Exists(CredsFile))
        {
            throw new ArgumentException($"--nats-creds: file '{CredsFile}' not found");
        }
        if (TlsCaFile is not null && !File.Exists(TlsCaFile))
        {
            throw new ArgumentException($"--nats-ca: file '{TlsCaFile}' not found");
        }
    }

    /// <summary>Each URL of a comma-separated list with its user info's secret replaced by <c>***</c>.</summary>
    public static string RedactUrls(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        string[] parts = urls.Split(',');
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i].Trim();
            int scheme = p.IndexOf("://", StringComparison.Ordinal);
            int at = p.LastIndexOf('@');
            if (scheme < 0 || at < scheme)
            {
                parts[i] = p;
                continue;
            }
            string userInfo = p[(scheme + 3)..at];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            // user:password → user:***; a lone token → ***.
            string redacted = colon >= 0 ? userInfo[..colon] + ":***" : "***";
            parts[i] = p[..(scheme + 3)] + redacted + p[at..];
        }
        return string.Join(',', parts);
    }
}
