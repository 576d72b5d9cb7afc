namespace RealtimeSeg.Fleet;

/// <summary>
/// Source URIs as a fleet keeps them: workers on other hosts (or in other folders) open them, so a relative path is
/// made absolute against the submitter's folder (plain paths, <c>file:</c>, <c>images:</c>); other URIs stay as written.
/// The result is also the key <c>fleet fetch --source</c> looks the source up by.
/// </summary>
internal static class SourceUris
{
    public static string Absolute(string uri, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(uri);
        foreach (string scheme in (ReadOnlySpan<string>)["file:", "images:"])
        {
            if (uri.StartsWith(scheme, StringComparison.Ordinal) && !uri.StartsWith(scheme + "//", StringComparison.Ordinal))
            {
                string path = uri[scheme.Length..];
                return path.Length == 0 ? uri : scheme + Path.GetFullPath(path, baseDirectory);
            }
        }
        int colon = uri.IndexOf(':', StringComparison.Ordinal);
        bool hasScheme = colon > 1 && uri[..colon].All(char.IsAsciiLetterOrDigit);
        return hasScheme || uri.Length == 0 ? uri : Path.GetFullPath(uri, baseDirectory);
    }
}
