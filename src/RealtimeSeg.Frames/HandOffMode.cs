namespace RealtimeSeg.Frames;

/// <summary>What a bounded hand-off between two stages does when the reader is behind.</summary>
public enum HandOffMode
{
    /// <summary>Evict the oldest queued item (and count it), so latency never grows by queueing. Live use.</summary>
    DropOldest,

    /// <summary>The writer waits for room: nothing is dropped and the producer runs at the consumer's pace. For evaluation.</summary>
    Wait,
}
