namespace RealtimeSeg.Pipeline.Stats;

/// <summary>One sink's counters (the items of <c>sinks</c> in <c>--stats</c>).</summary>
/// <param name="Name">The sink's name, e.g. <c>zeromq</c>, <c>stats</c>, <c>mot-dump</c>.</param>
/// <param name="FramesOffered">Frames the fan-out handed to the sink's queue.</param>
/// <param name="FramesDropped">Of those, frames the sink never got: evicted from its full queue, or offered after it failed.</param>
/// <param name="QueueCapacity">Frames its queue holds before dropping the oldest.</param>
/// <param name="Error">Why the sink failed (it was cut off and the run went on), or null.</param>
public sealed record SinkCounters(string Name, long FramesOffered, long FramesDropped, int QueueCapacity, string? Error);
