using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>
/// A stream ended (v2, topic <c>rseg/end/&lt;stream&gt;</c>): no frame of it follows in this run, so a subscriber or
/// recorder can tell the end from a stall.
/// </summary>
/// <param name="Stream">The stream's name.</param>
/// <param name="Run">The run that published it (random per process start).</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="LastSequence">The last frame's <c>seq</c> published for the stream, or -1 when none was.</param>
/// <param name="Frames">Frames published for the stream in this run.</param>
public sealed record StreamEndMessage(string Stream, string Run, StreamEndReason Reason, long LastSequence, long Frames);
