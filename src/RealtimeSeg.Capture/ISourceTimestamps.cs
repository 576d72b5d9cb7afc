namespace RealtimeSeg.Capture;

/// <summary>
/// A source that knows when each frame was originally recorded (an image sequence with a timestamps file, a recorded
/// drive), as opposed to when it was read. Consumers that replay or evaluate match frames by these times.
/// </summary>
public interface ISourceTimestamps
{
    /// <summary>The recorded time in ns of the frame numbered <paramref name="sequence"/>; false when the source has none for it.</summary>
    bool TryGetSourceTimestampNs(long sequence, out long timestampNs);
}
