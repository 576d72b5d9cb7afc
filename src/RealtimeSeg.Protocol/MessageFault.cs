namespace RealtimeSeg.Protocol;

/// <summary>Why a received message was skipped (<see cref="ProtocolException.Fault"/>); subscribers count them by this.</summary>
public enum MessageFault
{
    /// <summary>Breaks the protocol: bad MessagePack, a wrong type, a missing key, an encoded map that does not fit its size.</summary>
    Malformed,

    /// <summary>The payload ends inside a value (a message cut short).</summary>
    Truncated,

    /// <summary>Claims a map larger than <see cref="MessageLimits"/> allow; rejected before anything is allocated for it.</summary>
    MapTooLarge,

    /// <summary>Claims more segments than <see cref="MessageLimits.MaxSegments"/>; rejected before they are stored.</summary>
    TooManySegments,
}
