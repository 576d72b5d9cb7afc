namespace RealtimeSeg.Tracking;

/// <summary>Life cycle of a track, as in ByteTrack (New → Tracked ⇄ Lost → Removed).</summary>
public enum TrackState
{
    /// <summary>Seen on one frame only; has no id yet and is removed unless the next frame confirms it.</summary>
    New = 0,
    /// <summary>Confirmed and matched on the latest frame.</summary>
    Tracked = 1,
    /// <summary>Confirmed but unmatched; kept for <see cref="TrackerOptions.LostTrackBufferFrames"/> frames (the configured seconds at the stream's rate) for re-identification.</summary>
    Lost = 2,
    /// <summary>Gone for good; its id is never handed out again.</summary>
    Removed = 3,
}
