namespace RealtimeSeg.Protocol;

/// <summary>
/// A payload that is not a valid rseg message. The message names the field (<see cref="Key"/>), what was
/// expected there and the byte offset in the payload where reading stopped, so a bad publisher can be fixed
/// from the log line alone.
/// </summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }

    public ProtocolException(string message, Exception inner) : base(message, inner) { }

    public ProtocolException(string key, string problem, long offset, Exception? inner = null, MessageFault fault = MessageFault.Malformed)
        : base($"{(fault is MessageFault.MapTooLarge or MessageFault.TooManySegments ? "rejected" : "malformed")} rseg message at byte {offset}, key '{key}': {problem}", inner)
    {
        Key = key;
        Problem = problem;
        Offset = offset;
        Fault = fault;
    }

    /// <summary>Why the message was skipped, for counting: malformed, truncated, or over a <see cref="MessageLimits"/> limit.</summary>
    public MessageFault Fault { get; }

    /// <summary>The map key being read ("segs[3].bbox", "map", …), or "" when the top level itself is wrong.</summary>
    public string Key { get; } = "";

    /// <summary>What was wrong, e.g. "expected integer, found string".</summary>
    public string Problem { get; } = "";

    /// <summary>Byte offset in the payload at which the problem was found.</summary>
    public long Offset { get; }
}
