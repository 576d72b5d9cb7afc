namespace RealtimeSeg.Core;

/// <summary>
/// A frame source (or another resource the run needs: a publisher's endpoint, an output file) that cannot be opened; the
/// message names it and why (exit code 3). A password in a source's URL is replaced by <c>***</c> in <see cref="Source"/>
/// and the message, and the reason is scrubbed of it.
/// </summary>
public sealed class SourceUnavailableException : Exception
{
    public SourceUnavailableException(string source, string reason, Exception? inner = null)
        : this(source, reason, $"cannot open source '{CredentialRedaction.Redact(source)}': {CredentialRedaction.RedactIn(reason, source)}", inner)
    {
    }

    private SourceUnavailableException(string source, string reason, string message, Exception? inner)
        : base(message, inner)
    {
        Source = CredentialRedaction.Redact(source);
        Reason = CredentialRedaction.RedactIn(reason, source);
    }

    /// <summary>An endpoint the run cannot bind (a publisher's address in use, a host that does not resolve), called an endpoint.</summary>
    public static SourceUnavailableException Endpoint(string endpoint, string reason, Exception? inner = null)
        => new(endpoint, reason, $"cannot bind endpoint '{CredentialRedaction.Redact(endpoint)}': {CredentialRedaction.RedactIn(reason, endpoint)}", inner);

    /// <summary>An output the run cannot write (a sink's file, the stats file), named as the operator gave it.</summary>
    public static SourceUnavailableException Output(string output, string reason, Exception? inner = null)
        => new(output, reason, $"cannot write {output}: {reason}", inner);

    /// <summary>What could not be opened: the source URI, the endpoint, or the output.</summary>
    public new string Source { get; }
    public string Reason { get; }
}
