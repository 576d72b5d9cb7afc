using RealtimeSeg.Core;

namespace RealtimeSeg.Web.Health;

/// <summary>One stream as <c>/readyz</c> lists it.</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="State">Connecting, running, reconnecting, ended or failed.</param>
/// <param name="SecondsSinceLastFrame">Seconds since its last frame was published (or received, for a viewer of another process); null before the first.</param>
/// <param name="FramesPublished">Frames published (or received) so far.</param>
/// <param name="FramesDropped">Frames lost so far (dropped by the pipeline, or gaps in <c>seq</c> seen by a viewer).</param>
/// <param name="Reconnects">Times its source reconnected.</param>
/// <param name="LastError">Why its source last failed to connect or lost its stream (credentials redacted), or null.</param>
public sealed record StreamHealth(string Name, StreamState State, double? SecondsSinceLastFrame, long FramesPublished, long FramesDropped, long Reconnects, string? LastError);
