namespace RealtimeSeg.Capture;

/// <summary>How fast a source that is not a live device (a file, an image sequence, a generator) emits frames.</summary>
public enum Pacing
{
    /// <summary>
    /// At the source's own frame rate, scheduled against the monotonic clock from the first frame, so decode time
    /// never accumulates into drift. Frames arrive as a live camera would deliver them. The default.
    /// </summary>
    Realtime,

    /// <summary>As fast as the source can decode; a drop-oldest hand-off downstream sheds what the pipeline cannot keep up with.</summary>
    Max,

    /// <summary>
    /// Never drop: the downstream hand-off is expected in wait mode, and when the frame pool has no free slot the source
    /// waits for one. The whole file is processed at the consumer's pace. For evaluation and offline runs.
    /// </summary>
    Lockstep,
}
