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
        (int start, int end) = PasswordRange(url);
        return start < 0 ? url : string.Concat(url.AsSpan(0, start), "***", url.AsSpan(end));
    }

    /// <summary>
    /// <paramref name="text"/> (a child process's error line, say) with every occurrence of <paramref name="url"/>'s
    /// password replaced by <c>***</c>: ffmpeg echoes the URL it was given.
    /// </summary>
    public static string RedactIn(string text, string url)
    {
        (int start, int end) = PasswordRange(url);
        return start < 0 || end == start ? text : text.Replace(url[start..end], "***", StringComparison.Ordinal);
    }

    /// <summary>Where the password of the URL's user info lies (start inclusive, end exclusive), or (-1, -1).</summary>
    private static (int Start, int End) PasswordRange(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return (-1, -1);
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
            return (-1, -1);
        }
        int colon = url.IndexOf(':', authorityStart, at - authorityStart);
        return colon < 0 ? (-1, -1) : (colon + 1, at);
    }
}
