namespace RealtimeSeg.Core;

/// <summary>A frame source that cannot be opened; the message names the source and why (exit code 3).</summary>
public sealed class SourceUnavailableException : Exception
{
    public SourceUnavailableException(string source, string reason, Exception? inner = null)
        : base($"cannot open source '{source}': {reason}", inner)
    {
        Source = source;
        Reason = reason;
    }

    public new string Source { get; }
    public string Reason { get; }
}
