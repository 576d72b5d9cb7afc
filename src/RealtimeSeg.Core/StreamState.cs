namespace RealtimeSeg.Core;

/// <summary>Where a stream is in its life, as health checks, metrics and the viewer report it.</summary>
public enum StreamState
{
    /// <summary>No frame yet: the source is opening, or a network source is trying to connect.</summary>
    Connecting,

    /// <summary>Frames are coming.</summary>
    Running,

    /// <summary>A network or device source lost its stream after frames had come, and is trying to get it back.</summary>
    Reconnecting,

    /// <summary>The stream ended normally (end of file, <c>max_frames</c>, a stop); no frame follows.</summary>
    Ended,

    /// <summary>The source failed and will not come back; the other streams go on.</summary>
    Failed,
}
