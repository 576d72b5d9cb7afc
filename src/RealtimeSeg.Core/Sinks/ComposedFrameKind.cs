namespace RealtimeSeg.Core.Sinks;

/// <summary>What a <see cref="ComposedFrame"/> carries.</summary>
public enum ComposedFrameKind
{
    /// <summary>A processed frame: panoptic map, segments, wire message (and, when images are on, its JPEG).</summary>
    Frame,

    /// <summary>
    /// A stream ended (<see cref="ComposedFrame.EndReason"/>): no frame of it follows. Its message is the end-of-stream
    /// message; the panoptic frame holds only the stream's index, name, run and last sequence. Sink queues never drop it.
    /// </summary>
    EndOfStream,
}
