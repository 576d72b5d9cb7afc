namespace RealtimeSeg.Core;

/// <summary>Why a stream ended (v2 end-of-stream message, <c>reason</c>).</summary>
public enum StreamEndReason
{
    /// <summary><c>completed</c>: the source ended (end of file, <c>max_frames</c>, end of a drive or recording).</summary>
    Completed,

    /// <summary><c>source_lost</c>: the source failed and will not come back (e.g. a network stream gave up reconnecting).</summary>
    SourceLost,

    /// <summary><c>stopping</c>: the pipeline was asked to stop (SIGINT/SIGTERM) while the source still had frames.</summary>
    Stopping,
}
