namespace RealtimeSeg.Core;

/// <summary>
/// A frame source that cannot be opened; the message names the source and why (exit code 3). A password in the
/// source's URL is replaced by <c>***</c> in <see cref="Source"/> and the message, and the reason is scrubbed of it.
/// </summary>
public sealed class SourceUnavailableException : Exception
{
    public SourceUnavailableException(string source, string reason, Exception? inner = null)
        : base($"cannot open source '{CredentialRedaction.Redact(source)}': {CredentialRedaction.RedactIn(reason, source)}", inner)
    {
        Source = CredentialRedaction.Redact(source);
        Reason = CredentialRedaction.RedactIn(reason, source);
    }

    public new string Source { get; }
    public string Reason { get; }
}
