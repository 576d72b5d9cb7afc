using RealtimeSeg.Core;

namespace RealtimeSeg.Capture;

/// <summary>
/// A source URI split into its kind and the part that kind interprets (<see cref="Target"/>: a path, a device
/// number, a network URL, or a generator spec). Parsing only classifies; whether the target exists is checked by
/// the source that opens it.
/// </summary>
internal readonly record struct SourceUri(SourceKind Kind, string Target, string Original)
{
    private static readonly string[] NetworkSchemes = ["rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt"];

    public static SourceUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string text = uri.Trim();
        if (text.Length == 0)
        {
            throw new ConfigurationException("the source URI is empty; give a video path, file:PATH, images:DIR, rtsp://…, camera:N or synthetic:…");
        }

        if (text.StartsWith("/dev/video", StringComparison.Ordinal))
        {
            return new SourceUri(SourceKind.Camera, text, uri);
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        // One letter before the colon is a Windows drive ("C:\clips\a.mp4"), not a scheme.
        if (colon < 2 || !IsScheme(text.AsSpan(0, colon)))
        {
            return new SourceUri(SourceKind.File, text, uri);
        }

        string scheme = text[..colon].ToLowerInvariant();
        string rest = text[(colon + 1)..];
        switch (scheme)
        {
            case "file":
                return new SourceUri(SourceKind.File, FilePath(rest, uri), uri);
            case "images":
                return new SourceUri(SourceKind.Images, rest, uri);
            case "camera":
                return new SourceUri(SourceKind.Camera, rest, uri);
            case "synthetic":
                return new SourceUri(SourceKind.Synthetic, rest, uri);
        }
        if (Array.IndexOf(NetworkSchemes, scheme) >= 0)
        {
            return new SourceUri(SourceKind.Network, text, uri);
        }
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // Bad usage (exit 2), not an unavailable source: no source of this kind exists to be opened.
            throw new ConfigurationException($"source '{Network.NetworkUrl.Redact(uri)}': unknown source scheme '{scheme}://'; expected a video path, file:PATH, images:DIR, rtsp://…, camera:N or synthetic:…");
        }
        // "take:2.mp4" is a relative file name with a colon, not a scheme.
        return new SourceUri(SourceKind.File, text, uri);
    }

    private static string FilePath(string rest, string uri)
    {
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // file:///abs/path (RFC 8089): let System.Uri undo the percent-encoding.
            if (!System.Uri.TryCreate("file:" + rest, UriKind.Absolute, out Uri? parsed) || !parsed.IsFile)
            {
                throw new SourceUnavailableException(uri, "not a valid file URI; use file:PATH or file:///ABSOLUTE/PATH");
            }
            return parsed.LocalPath;
        }
        if (rest.Length == 0)
        {
            throw new SourceUnavailableException(uri, "no path after 'file:'");
        }
        return rest;
    }

    private static bool IsScheme(ReadOnlySpan<char> candidate)
    {
        if (!char.IsAsciiLetter(candidate[0]))
        {
            return false;
        }
        foreach (char c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
            {
                return false;
            }
        }
        return true;
    }
}
