namespace RealtimeSeg.Tracking;

/// <summary>
/// Thresholds, techniques and capacities of <see cref="ByteTracker"/>. The score thresholds follow ByteTrack's
/// reference settings (track_thresh 0.5, low 0.1, det_thresh = track_thresh + 0.1, second match 0.5, unconfirmed match
/// 0.7); the first association's gate is looser (0.12 instead of ByteTrack's 0.2), and the defaults add confidence
/// boosting (at IoU 0.6, not for a model's second box beside a confident one), OC-SORT's recovery, BoT-SORT's
/// (cx, cy, w, h) state and a 1.5 s lost-track buffer: the one set that won on the development benchmark <i>and</i> through
/// the bundled model on the synthetic drive (docs/tracking.md, <c>scripts/tracker-bench.sh</c>,
/// <c>tools/train-demo-model/evaluate.sh</c>). NSA noise, OC-SORT's re-update and momentum stay switchable, off.
/// <see cref="ByteTrack"/> gives the reference tracker.
/// ByteTrack states its match thresholds as the largest
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

    /// <summary>
    /// First association (tracked and lost tracks × high detections): the IoU, or IoU × score with <see cref="FuseScore"/>,
    /// must exceed this. ByteTrack's match_thresh 0.8 ⇒ 0.2; the default 0.12 keeps near vehicles, whose boxes grow and
    /// shift fast, on their tracks (docs/tracking.md: 0.2 loses 1.3 HOTA through the bundled model, 0.1 and below lose on
    /// KITTI-dev and MOT17-mini).
    /// </summary>
    public float MatchIouThreshold { get; init; } = 0.12f;

    /// <summary>Upper bound of <see cref="MatchIouThresholdByClass"/>'s length (class ids of the models this pipeline runs are far fewer).</summary>
    public const int MaxClassGates = 1024;

    /// <summary>
    /// Per-class gates of the first association, indexed by the detector's class id: a track of class <c>c</c> matches only
    /// above entry <c>c</c>; classes past the list's end, and entries below 0, use <see cref="MatchIouThreshold"/>. Null
    /// (default): one gate for every class. Measured (docs/tracking.md, "Per-class gating") and not kept in the defaults.
    /// </summary>
    public IReadOnlyList<float>? MatchIouThresholdByClass { get; init; }

    /// <summary>The first association's gate for a track of class <paramref name="classId"/>.</summary>
    public float MatchIouThresholdFor(int classId)
        => MatchIouThresholdByClass is { } byClass && (uint)classId < (uint)byClass.Count && byClass[classId] >= 0f ? byClass[classId] : MatchIouThreshold;

    /// <summary>Second association (still-unmatched tracked tracks × low detections): plain IoU must exceed this. ByteTrack's 0.5 cost ⇒ 0.5.</summary>
    public float SecondMatchIouThreshold { get; init; } = 0.5f;

    /// <summary>Unconfirmed tracks × remaining high detections: IoU (fused with score when <see cref="FuseScore"/>) must exceed this. ByteTrack's 0.7 cost ⇒ 0.3.</summary>
    public float UnconfirmedMatchIouThreshold { get; init; } = 0.3f;

    /// <summary>
    /// How long a lost track is kept for re-identification, in seconds of media time (default 1.0 s = ByteTrack's
    /// track_buffer of 30 frames at its reference 30 fps; ByteTrack itself scales it as track_buffer × frame_rate / 30).
    /// A stream's tracker gets it in frames of that stream's rate from <see cref="ForFrameRate"/>: a track last seen
    /// at frame f is removed at the first frame g with g − f &gt; that many frames. Range 0 … <see cref="MaxTrackBufferSeconds"/>;
    /// 0 drops a track on its first missed frame.
    /// </summary>
    public double TrackBufferSeconds { get; init; } = 1.5;

    /// <summary>
    /// The same buffer as a fixed number of frames of whatever stream is tracked; null (default) derives it from
    /// <see cref="TrackBufferSeconds"/> and the stream's rate. Kept for configs written before the buffer was given in
    /// seconds (<c>track_buffer_frames: 30</c> keeps meaning 30 frames, i.e. 1 s at 30 fps but 3 s at 10 fps);
    /// when set it wins over <see cref="TrackBufferSeconds"/>. Range 0 … <see cref="MaxTrackBufferFrames"/>.
    /// </summary>
    public int? TrackBufferFrames { get; init; }

    /// <summary>
    /// The rate ByteTrack states its track_buffer at, and the rate assumed when a stream's rate is unknown (a camera
    /// or network stream that reports none): 1.0 s is then 30 frames, today's and ByteTrack's default.
    /// </summary>
    public const double ReferenceFrameRate = 30;

    /// <summary>
    /// Upper bound of <see cref="TrackBufferSeconds"/>. A lost track is coasted by a constant-velocity Kalman filter
    /// and matched by overlap alone, so after a minute its prediction says nothing; meanwhile it holds one of the
    /// <see cref="MaxTracks"/> slots that new objects need.
    /// </summary>
    public const double MaxTrackBufferSeconds = 60;

    /// <summary>Upper bound of <see cref="TrackBufferFrames"/>: <see cref="MaxTrackBufferSeconds"/> at 1000 fps, the fastest rate a source may report.</summary>
    public const int MaxTrackBufferFrames = 60_000;

    /// <summary>Frames <see cref="ByteTracker"/> keeps a lost track: <see cref="TrackBufferFrames"/> when set, else <see cref="TrackBufferSeconds"/> at <see cref="ReferenceFrameRate"/>.</summary>
    public int LostTrackBufferFrames => TrackBufferFrames ?? BufferFrames(TrackBufferSeconds, ReferenceFrameRate);

    /// <summary>
    /// These options for a stream of <paramref name="framesPerSecond"/>: <see cref="TrackBufferFrames"/> set to
    /// <see cref="TrackBufferSeconds"/> × the rate, truncated as ByteTrack does (<c>int(frame_rate / 30 × track_buffer)</c>):
    /// 1 s is 10 frames at 10 fps, 25 at 25 fps, 30 at 30 fps, 12 at 12.5 fps. A rate that is not a number above 0 and
    /// at most 1000 is unknown and <see cref="ReferenceFrameRate"/> is used (<see cref="IsKnownFrameRate"/> tells the
    /// caller, which can say so in its log). Options that already give <see cref="TrackBufferFrames"/> keep that count.
    /// <see cref="StreamFrameRate"/> is set to the rate used, for the other options given in seconds. Start-up only
    /// (allocates a new record).
    /// </summary>
    public TrackerOptions ForFrameRate(double framesPerSecond)
    {
        double rate = IsKnownFrameRate(framesPerSecond) ? framesPerSecond : ReferenceFrameRate;
        return this with { TrackBufferFrames = TrackBufferFrames ?? BufferFrames(TrackBufferSeconds, rate), StreamFrameRate = rate };
    }

    /// <summary>Whether <paramref name="framesPerSecond"/> is a usable stream rate (above 0, at most 1000); sources report 0 when they know none.</summary>
    public static bool IsKnownFrameRate(double framesPerSecond) => framesPerSecond is > 0 and <= 1000;

    private static int BufferFrames(double seconds, double framesPerSecond)
    {
        // Truncated like ByteTrack's int(); the epsilon keeps 1.2 s × 25 fps (29.999999999999996 in binary) at 30.
        double frames = Math.Floor((seconds * framesPerSecond) + 1e-9);
        return frames >= MaxTrackBufferFrames ? MaxTrackBufferFrames : frames <= 0 ? 0 : (int)frames;
    }

    /// <summary>When true a detection can only match a track of the same class id (also for duplicate removal).</summary>
    public bool ClassAware { get; init; } = true;

    /// <summary>
    /// Most tracks alive at once (unconfirmed + tracked + lost); storage is preallocated. Beyond it new tracks are not
    /// started and are counted in <see cref="ByteTracker.RejectedNewTracks"/>. Range 1 … <see cref="MaxTracksLimit"/>,
    /// and <see cref="MaxTracks"/> × <see cref="MaxDetections"/> ≤ <see cref="MaxAssociationCells"/>.
    /// </summary>
    public int MaxTracks { get; init; } = 256;

    /// <summary>
    /// Most detections one <see cref="ByteTracker.Update"/> accepts; association buffers are preallocated for it. The
    /// pipeline refuses to start when a model (or the fused models together) can emit more per frame. Range
    /// 1 … <see cref="MaxDetectionsLimit"/>, and <see cref="MaxTracks"/> × <see cref="MaxDetections"/> ≤ <see cref="MaxAssociationCells"/>.
    /// </summary>
    public int MaxDetections { get; init; } = 256;

    /// <summary>Upper bound of <see cref="MaxTracks"/>: far more objects than any scene a camera sees holds.</summary>
    public const int MaxTracksLimit = 4096;

    /// <summary>Upper bound of <see cref="MaxDetections"/>: the same as a model's own limit (ModelOptions.MaxDetectionsLimit).</summary>
    public const int MaxDetectionsLimit = 10_000;

    /// <summary>
    /// Upper bound of <see cref="MaxTracks"/> × <see cref="MaxDetections"/>. The tracker preallocates two cost matrices of
    /// that many cells (its own and the assignment solver's, 8 bytes a cell together): 2²² cells are 32 MiB per stream.
    /// The defaults use 65 536.
    /// </summary>
    public const int MaxAssociationCells = 1 << 22;

    /// <summary>Multiply IoU by the detection score in the first and unconfirmed associations (ByteTrack fuse_score, on unless MOT20).</summary>
    public bool FuseScore { get; init; } = true;

    /// <summary>
    /// A tracked and a lost track overlapping by more than this IoU are duplicates; the one tracked for fewer frames
    /// is dropped (ByteTrack remove_duplicate_stracks, cost &lt; 0.15 ⇒ 0.85). Above 1 disables the step.
    /// </summary>
    public float DuplicateIouThreshold { get; init; } = 0.85f;

    /// <summary>
    /// The Kalman state boxes are filtered in: <see cref="Tracking.MotionModel.Xyah"/> (ByteTrack) or
    /// <see cref="Tracking.MotionModel.Xywh"/> (BoT-SORT). docs/tracking.md has the measured difference.
    /// </summary>
    public MotionModel MotionModel { get; init; } = MotionModel.Xywh;

    /// <summary>
    /// NSA Kalman (GIAOTracker, StrongSORT): each update's measurement noise is multiplied by 1 − score (at least
    /// <see cref="MinConfidenceNoiseScale"/>), so a confident detection corrects the state more than a doubtful one.
    /// </summary>
    public bool ConfidenceScaledNoise { get; init; }

    /// <summary>Smallest factor <see cref="ConfidenceScaledNoise"/> applies, so a score of 1 does not make a measurement exact.</summary>
    public const float MinConfidenceNoiseScale = 0.05f;

    /// <summary>
    /// OC-SORT's observation-centric re-update (ORU): when a track that missed frames is matched again, its filter is
    /// rewound to its last observation and re-run over a straight virtual path from there to the new detection, instead
    /// of keeping the error that coasting through the gap accumulated (a velocity that overshoots or undershoots).
    /// </summary>
    public bool ObservationCentricReupdate { get; init; }

    /// <summary>
    /// OC-SORT's observation-centric recovery (OCR): null off; otherwise (default 0.5), after both associations, confirmed
    /// tracks still unmatched are tried once more against the high-score detections left, by the IoU of the track's
    /// <i>last observed</i> box (not its prediction); a pair must exceed this IoU. Recovers tracks whose prediction
    /// drifted during a short gap or a change of motion.
    /// </summary>
    public float? RecoveryIouThreshold { get; init; } = 0.5f;

    /// <summary>
    /// Observation-centric recovery only tries tracks whose last observation is at most this old, in seconds of media
    /// time (converted with the stream's rate like <see cref="TrackBufferSeconds"/>; at least one frame). An old
    /// observation overlaps whatever object now stands where the track was last seen, so recovering from it swaps
    /// identities more often than it recovers one. Range 0 … <see cref="MaxTrackBufferSeconds"/>.
    /// </summary>
    public double RecoveryMaxGapSeconds { get; init; } = 0.8;

    /// <summary>
    /// The rate <see cref="ForFrameRate"/> resolved (null before: <see cref="ReferenceFrameRate"/> is assumed), for the
    /// options given in seconds other than the lost-track buffer.
    /// </summary>
    internal double? StreamFrameRate { get; init; }

    /// <summary><see cref="RecoveryMaxGapSeconds"/> in frames of the stream (<see cref="StreamFrameRate"/>), at least 1.</summary>
    public int RecoveryMaxGapFrames => Math.Max(1, BufferFrames(RecoveryMaxGapSeconds, StreamFrameRate ?? ReferenceFrameRate));

    /// <summary>
    /// OC-SORT's observation-centric momentum (OCM): 0 (default) off; otherwise the first association's cost of a pair
    /// is lowered by this weight × score × the cosine between the track's direction of travel (from its observation up
    /// to <see cref="MomentumDeltaFrames"/> observations back to its latest) and the direction from its latest observation
    /// to the detection (raised when they point apart, but never so far that an overlap which passes the IoU gate cannot
    /// match). In [0, 1].
    /// </summary>
    public float MomentumWeight { get; init; }

    /// <summary>How many observations back the direction of travel of <see cref="MomentumWeight"/> is taken from (OC-SORT's delta_t = 3). 1…3.</summary>
    public int MomentumDeltaFrames { get; init; } = 3;

    /// <summary>
    /// BoostTrack-style confidence boosting: null off; otherwise (default 0.6) a detection scoring under
    /// <see cref="HighScoreThreshold"/> (and at least <see cref="LowScoreThreshold"/>) whose box overlaps a confirmed
    /// track's prediction (tracked or lost, same class when <see cref="ClassAware"/>) by more than this IoU takes part
    /// in the first association with its score raised to that IoU, so a low-score detection can re-find a lost track,
    /// which ByteTrack's second association (tracked tracks only) cannot. It never starts a track.
    /// </summary>
    public float? BoostIouThreshold { get; init; } = 0.6f;

    /// <summary>
    /// With <see cref="BoostIouThreshold"/>: null off; otherwise (default 0.25) a low-score detection that overlaps a
    /// high-score detection (same class when <see cref="ClassAware"/>) by more than this IoU is not boosted. It must lie
    /// under the detector's NMS threshold (the bundled model's 0.3) to see that detector's second boxes at all. A model's
    /// low-score boxes beside a confident one are mostly that object's second, worse-placed box (NMS keeps boxes that
    /// overlap less than its threshold; the bundled model's 0.3–0.5 scores are 86 % such boxes on the synthetic drive),
    /// which boosting would raise into the first association (docs/tracking.md).
    /// </summary>
    public float? BoostShadowIouThreshold { get; init; } = 0.25f;

    /// <summary>
    /// Camera-motion compensation (BoT-SORT's GMC), done by the live pipeline, which has the frames:
    /// <see cref="CameraMotionMode.Off"/> (default) or <see cref="CameraMotionMode.SparseFlow"/>. The tracker itself only
    /// applies a given motion (<see cref="ByteTracker.ApplyCameraMotion"/>); <c>realtimeseg track</c> on text detections has
    /// no frames and ignores it. docs/tracking.md has the measurement behind the default.
    /// </summary>
    public CameraMotionMode CameraMotion { get; init; }

    /// <summary>
    /// Mask IoU as an association cue: 0 (default) off; otherwise α in (0, 1]: in the first association, a pair that
    /// passes the box gate and whose detection and track both have a mask is scored (1 − α) · IoU_box + α · IoU_mask
    /// (times the score when <see cref="FuseScore"/>) under the same gate. The track's mask is its last matched one,
    /// moved and scaled with its predicted box. Only <see cref="ByteTracker.Update(DetectionSet, long, Span{TrackInfo})"/>
    /// (the live pipeline) has masks; <c>realtimeseg track</c> on text detections has none, and the cue is off there.
    /// docs/tracking.md has the measurement behind the default.
    /// </summary>
    public float MaskIouWeight { get; init; }

    /// <summary>With <see cref="MaskIouWeight"/>: a mask cell belongs to the object at or above this soft-mask value. In (0, 1].</summary>
    public float MaskThreshold { get; init; } = 0.5f;

    /// <summary>
    /// ByteTrack as published (the reference BYTETracker's settings and motion model, every technique beyond it off): the
    /// baseline of docs/tracking.md's ablation, and the options under which <see cref="ByteTracker"/> reproduces the
    /// reference tracker's decisions. A new record on every call.
    /// </summary>
    public static TrackerOptions ByteTrack() => new()
    {
        MatchIouThreshold = 0.2f,
        MotionModel = MotionModel.Xyah,
        ConfidenceScaledNoise = false,
        ObservationCentricReupdate = false,
        RecoveryIouThreshold = null,
        BoostIouThreshold = null,
        BoostShadowIouThreshold = null,
        MomentumWeight = 0f,
        TrackBufferSeconds = 1.0,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is out of range or inconsistent.</summary>
    public void Validate()
    {
        RequireUnit(HighScoreThreshold, nameof(HighScoreThreshold));
        RequireUnit(LowScoreThreshold, nameof(LowScoreThreshold));
        RequireUnit(NewTrackThreshold, nameof(NewTrackThreshold));
        RequireUnit(MatchIouThreshold, nameof(MatchIouThreshold));
        if (MatchIouThresholdByClass is { } byClass)
        {
            if (byClass.Count > MaxClassGates)
            {
                throw new ArgumentException($"{nameof(MatchIouThresholdByClass)} has {byClass.Count} entries; at most {MaxClassGates} (one per class id)", nameof(MatchIouThresholdByClass));
            }
            for (int c = 0; c < byClass.Count; c++)
            {
                if (!(byClass[c] <= 1f) || float.IsNaN(byClass[c]))
                {
                    throw new ArgumentException($"{nameof(MatchIouThresholdByClass)}[{c}] must be in [0, 1] (or negative: the default gate), was {byClass[c]}", nameof(MatchIouThresholdByClass));
                }
            }
        }
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
        if (!(TrackBufferSeconds is >= 0 and <= MaxTrackBufferSeconds))
        {
            throw new ArgumentException($"{nameof(TrackBufferSeconds)} must be in 0…{MaxTrackBufferSeconds} s, was {TrackBufferSeconds}", nameof(TrackBufferSeconds));
        }
        if (TrackBufferFrames is < 0 or > MaxTrackBufferFrames)
        {
            throw new ArgumentException($"{nameof(TrackBufferFrames)} must be in 0…{MaxTrackBufferFrames} (or absent: {nameof(TrackBufferSeconds)} applies), was {TrackBufferFrames}", nameof(TrackBufferFrames));
        }
        if (MaxTracks is < 1 or > MaxTracksLimit)
        {
            throw new ArgumentException($"{nameof(MaxTracks)} must be in 1…{MaxTracksLimit}, was {MaxTracks}", nameof(MaxTracks));
        }
        if (MaxDetections is < 1 or > MaxDetectionsLimit)
        {
            throw new ArgumentException($"{nameof(MaxDetections)} must be in 1…{MaxDetectionsLimit}, was {MaxDetections}", nameof(MaxDetections));
        }
        if ((long)MaxTracks * MaxDetections > MaxAssociationCells)
        {
            throw new ArgumentException(
                $"{nameof(MaxTracks)} × {nameof(MaxDetections)} must be at most {MaxAssociationCells} (the preallocated cost matrices), was {MaxTracks} × {MaxDetections} = {(long)MaxTracks * MaxDetections}",
                nameof(MaxTracks));
        }
        if (RecoveryIouThreshold is float recovery)
        {
            RequireUnit(recovery, nameof(RecoveryIouThreshold));
        }
        if (BoostIouThreshold is float boost)
        {
            RequireUnit(boost, nameof(BoostIouThreshold));
        }
        if (BoostShadowIouThreshold is float shadow)
        {
            RequireUnit(shadow, nameof(BoostShadowIouThreshold));
        }
        RequireUnit(MomentumWeight, nameof(MomentumWeight));
        RequireUnit(MaskIouWeight, nameof(MaskIouWeight));
        if (!(MaskThreshold is > 0f and <= 1f))
        {
            throw new ArgumentException($"{nameof(MaskThreshold)} must be in (0, 1], was {MaskThreshold}", nameof(MaskThreshold));
        }
        if (!(RecoveryMaxGapSeconds is >= 0 and <= MaxTrackBufferSeconds))
        {
            throw new ArgumentException($"{nameof(RecoveryMaxGapSeconds)} must be in 0…{MaxTrackBufferSeconds} s, was {RecoveryMaxGapSeconds}", nameof(RecoveryMaxGapSeconds));
        }
        if (MomentumDeltaFrames is < 1 or > 3)
        {
            throw new ArgumentException($"{nameof(MomentumDeltaFrames)} must be in 1…3, was {MomentumDeltaFrames}", nameof(MomentumDeltaFrames));
        }
        if (!Enum.IsDefined(MotionModel))
        {
            throw new ArgumentException($"{nameof(MotionModel)} must be {nameof(MotionModel.Xyah)} or {nameof(MotionModel.Xywh)}, was {(int)MotionModel}", nameof(MotionModel));
        }
        if (!Enum.IsDefined(CameraMotion))
        {
            throw new ArgumentException($"{nameof(CameraMotion)} must be {nameof(CameraMotionMode.Off)} or {nameof(CameraMotionMode.SparseFlow)}, was {(int)CameraMotion}", nameof(CameraMotion));
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
