namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>What a replay did.</summary>
/// <param name="FramesPublished">Frame messages handed to the socket, all streams and passes.</param>
/// <param name="EndsPublished">End-of-stream messages handed to the socket.</param>
/// <param name="Passes">Passes through the recording (more than 1 with <c>--loop</c>).</param>
/// <param name="LateP99Ms">99th percentile of how late a message went out against its schedule, ms.</param>
/// <param name="Indexed">False when the recording was read from the start (not closed cleanly: a crash) instead of through its index.</param>
public sealed record ReplayReport(long FramesPublished, long EndsPublished, int Passes, double LateP99Ms, bool Indexed);
