namespace RealtimeSeg.Core;

/// <summary>
/// Hides the password of a URL's user info (<c>rtsp://user:***@host/path</c>) wherever a source URI is shown: logs,
/// errors, status, stats, recordings (DESIGN §8.13). The user name stays, so an operator can still tell which account
/// was used.
/// </summary>
public static class CredentialRedaction
{
    public const string Mask = "***";

    /// <summary><paramref name="url"/> with the password of its user info replaced by <c>***</c>; anything else as is.</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        (int start, int end) = PasswordRange(url);
        return start < 0 ? url : string.Concat(url.AsSpan(0, start), Mask, url.AsSpan(end));
    }

    /// <summary>
    /// <paramref name="text"/> (a child process's error line, say) with every occurrence of <paramref name="url"/>'s
    /// password replaced by <c>***</c>: ffmpeg echoes the URL it was given, sometimes percent-decoded.
    /// </summary>
    public static string RedactIn(string text, string url)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(url);
        (int start, int end) = PasswordRange(url);
        if (start < 0 || end == start)
        {
            return text;
        }
        string password = url[start..end];
        text = text.Replace(password, Mask, StringComparison.Ordinal);
        string decoded = Uri.UnescapeDataString(password);
        return decoded.Length == 0 || decoded == password ? text : text.Replace(decoded, Mask, StringComparison.Ordinal);
    }

    /// <summary>True when the URL's user info carries a password (<c>scheme://user:password@host/…</c>).</summary>
    public static bool HasPassword(string url)
    {
        (int start, int end) = PasswordRange(url);
        return start >= 0 && end > start;
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
        int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }
        if (authorityEnd == authorityStart)
        {
            return (-1, -1);
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
