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

    /// <summary>True when the URL's user info carries a password.</summary>
    public static bool HasPassword(string url) => CredentialRedaction.HasPassword(url);

    /// <summary><paramref name="url"/> with the password of its user info replaced by <c>***</c>.</summary>
    public static string Redact(string url) => CredentialRedaction.Redact(url);

    /// <summary><paramref name="text"/> with every occurrence of <paramref name="url"/>'s password replaced by <c>***</c>.</summary>
    public static string RedactIn(string text, string url) => CredentialRedaction.RedactIn(text, url);
}
