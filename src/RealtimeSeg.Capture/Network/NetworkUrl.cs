using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Network;

/// <summary>Checks a network source URL before anything is started, and hides its password in logs and errors.</summary>
internal static class NetworkUrl
{
    /// <summary>Throws <see cref="ConfigurationException"/> (exit 2) when <paramref name="url"/> is not a usable URL.</summary>
    public static void Validate(string url)
    {
        string safe = Redact(url);
        if (!System.Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed))
        {
            throw new ConfigurationException($"source URI '{safe}' is not a valid URL; expected e.g. rtsp://HOST[:PORT]/PATH");
        }
        string scheme = parsed.Scheme;
        // udp:// and srt:// may listen on all interfaces ("udp://@:5000", "srt://:9000?mode=listener"); the others need a host.
        bool mayListen = scheme is "udp" or "srt" or "tcp";
        if (!mayListen && string.IsNullOrEmpty(parsed.Host))
        {
            throw new ConfigurationException($"source URI '{safe}' has no host; expected {scheme}://HOST[:PORT]/PATH");
        }
        if (url.Any(char.IsWhiteSpace))
        {
            throw new ConfigurationException($"source URI '{safe}' contains white space; percent-encode it (%20)");
        }
    }

    /// <summary><paramref name="url"/> with the password of its user info replaced by <c>***</c>.</summary>
    public static string Redact(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }
        int authorityStart = scheme + 3;
        int authorityEnd = url.IndexOf('/', authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }
        int at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at < 0)
        {
            return url;
        }
        int colon = url.IndexOf(':', authorityStart, at - authorityStart);
        return colon < 0 ? url : string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at));
    }
}
