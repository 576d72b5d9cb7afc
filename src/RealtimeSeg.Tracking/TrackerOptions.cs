namespace RealtimeSeg.Tracking;

/// <summary>
/// Thresholds and capacities of <see cref="ByteTracker"/>. Defaults follow ByteTrack's reference settings
/// (track_thresh 0.5, low 0.1, det_thresh = track_thresh + 0.1, match_thresh 0.8, second match 0.5,
/// unconfirmed match 0.7, track_buffer 30 at 30 fps). ByteTrack states its match thresholds as the largest
/// allowed cost 1 − IoU; here they are the IoU (or fused IoU × score) a pair must <b>exceed</b>, so
/// <c>MatchIouThreshold = 1 − match_thresh</c>.
/// </summary>
public sealed record TrackerOptions
{
    /// <summary>Detections scoring at least this take part in the first association and may confirm tracks (ByteTrack track_thresh).</summary>
    public float HighScoreThreshold { get; init; } = 0.5f;

    /// <summary>Detections scoring at least this but below <see cref="HighScoreThreshold"/> can only extend tracked tracks (second association); lower ones are ignored.</summary>
    public float LowScoreThreshold { get; init; } = 0.1f;

    /// <summary>An unmatched high-score detection starts a track only when it scores at least this (ByteTrack det_thresh).</summary>
    public float NewTrackThreshold { get; init; } = 0.6f;

    /// <summary>
    /// Off when null (ByteTrack: only detections at <see cref="NewTrackThreshold"/> start tracks). Otherwise an unclaimed
    /// high-score detection scoring at least this but under <see cref="NewTrackThreshold"/> starts a <i>tentative</i> track,
    /// which gets an id only once it has been matched on <see cref="TentativeConfirmFrames"/> consecutive frames (its
    /// first included), so objects a model scores low but steadily (small, far ones) are followed while one- or
    /// two-frame false positives at the same score burn no id (DeepStream's probation age, SORT's min_hits).
    /// Must lie in [<see cref="HighScoreThreshold"/>, <see cref="NewTrackThreshold"/>].
    /// </summary>
    public float? TentativeTrackThreshold { get; init; }

    /// <summary>Consecutive matched frames, the first included, a tentative track needs for an id (≥ 2; a track started at <see cref="NewTrackThreshold"/> needs 2).</summary>
    public int TentativeConfirmFrames { get; init; } = 3;

    /// <summary>First association (tracked and lost tracks × high detections): the IoU, or IoU × score with <see cref="FuseScore"/>, must exceed this. ByteTrack match_thresh 0.8 ⇒ 0.2.</summary>
    public float MatchIouThreshold { get; init; } = 0.2f;

    /// <summary>Second association (still-unmatched tracked tracks × low detections): plain IoU must exceed this. ByteTrack's 0.5 cost ⇒ 0.5.</summary>
    public float SecondMatchIouThreshold { get; init; } = 0.5f;

    /// <summary>Unconfirmed tracks × remaining high detections: IoU (fused with score when <see cref="FuseScore"/>) must exceed this. ByteTrack's 0.7 cost ⇒ 0.3.</summary>
    public float UnconfirmedMatchIouThreshold { get; init; } = 0.3f;

    /// <summary>
    /// Frames a lost track is kept for re-identification: a track last seen at frame f is removed at the first
    /// frame g with g − f &gt; this (ByteTrack max_time_lost = track_buffer × frame_rate / 30; scale it for your rate).
    /// </summary>
    public int TrackBufferFrames { get; init; } = 30;

    /// <summary>When true a detection can only match a track of the same class id (also for duplicate removal).</summary>
    public bool ClassAware { get; init; } = true;

    /// <summary>Most tracks alive at once (unconfirmed + tracked + lost); storage is preallocated. Beyond it new tracks are not started and are counted in <see cref="ByteTracker.RejectedNewTracks"/>.</summary>
    public int MaxTracks { get; init; } = 256;

    /// <summary>Most detections one <see cref="ByteTracker.Update"/> accepts; association buffers are preallocated for it.</summary>
    public int MaxDetections { get; init; } = 256;

    /// <summary>Multiply IoU by the detection score in the first and unconfirmed associations (ByteTrack fuse_score, on unless MOT20).</summary>
    public bool FuseScore { get; init; } = true;

    /// <summary>
    /// A tracked and a lost track overlapping by more than this IoU are duplicates; the one tracked for fewer frames
    /// is dropped (ByteTrack remove_duplicate_stracks, cost &lt; 0.15 ⇒ 0.85). Above 1 disables the step.
    /// </summary>
    public float DuplicateIouThreshold { get; init; } = 0.85f;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range or inconsistent.</summary>
    public void Validate()
    {
        RequireUnit(HighScoreThreshold, nameof(HighScoreThreshold));
        RequireUnit(LowScoreThreshold, nameof(LowScoreThreshold));
        RequireUnit(NewTrackThreshold, nameof(NewTrackThreshold));
        RequireUnit(MatchIouThreshold, nameof(MatchIouThreshold));
        RequireUnit(SecondMatchIouThreshold, nameof(SecondMatchIouThreshold));
        RequireUnit(UnconfirmedMatchIouThreshold, nameof(UnconfirmedMatchIouThreshold));
        if (LowScoreThreshold > HighScoreThreshold)
        {
            throw new ArgumentException(
                $"{nameof(LowScoreThreshold)} ({LowScoreThreshold}) must not exceed {nameof(HighScoreThreshold)} ({HighScoreThreshold})",
                nameof(LowScoreThreshold));
        }
        if (NewTrackThreshold < HighScoreThreshold)
        {
            throw new ArgumentException(
                $"{nameof(NewTrackThreshold)} ({NewTrackThreshold}) must be at least {nameof(HighScoreThreshold)} ({HighScoreThreshold}): only high-score detections start tracks",
                nameof(NewTrackThreshold));
        }
        if (TentativeTrackThreshold is float tentative && !(tentative >= HighScoreThreshold && tentative <= NewTrackThreshold))
        {
            throw new ArgumentException(
                $"{nameof(TentativeTrackThreshold)} ({tentative}) must lie between {nameof(HighScoreThreshold)} ({HighScoreThreshold}) and {nameof(NewTrackThreshold)} ({NewTrackThreshold}): tentative tracks start from high-score detections below the new-track threshold",
                nameof(TentativeTrackThreshold));
        }
        if (TentativeConfirmFrames < 2)
        {
            throw new ArgumentException($"{nameof(TentativeConfirmFrames)} must be ≥ 2, was {TentativeConfirmFrames}", nameof(TentativeConfirmFrames));
        }
        if (TrackBufferFrames < 0)
        {
            throw new ArgumentException($"{nameof(TrackBufferFrames)} must be ≥ 0, was {TrackBufferFrames}", nameof(TrackBufferFrames));
        }
        if (MaxTracks is < 1 or > 65536)
        {
            throw new ArgumentException($"{nameof(MaxTracks)} must be in 1…65536, was {MaxTracks}", nameof(MaxTracks));
        }
        if (MaxDetections is < 1 or > 65536)
        {
            throw new ArgumentException($"{nameof(MaxDetections)} must be in 1…65536, was {MaxDetections}", nameof(MaxDetections));
        }
        if (float.IsNaN(DuplicateIouThreshold) || DuplicateIouThreshold < 0f)
        {
            throw new ArgumentException($"{nameof(DuplicateIouThreshold)} must be ≥ 0 (above 1 disables), was {DuplicateIouThreshold}", nameof(DuplicateIouThreshold));
        }
    }

    private static void RequireUnit(float value, string name)
    {
        if (!(value is >= 0f and <= 1f))
        {
            throw new ArgumentException($"{name} must be in [0, 1], was {value}", name);
        }
    }
}
