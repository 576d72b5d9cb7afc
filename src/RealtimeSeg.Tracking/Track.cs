using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>One track slot of <see cref="ByteTracker"/>; a mutable struct so tracks live in one preallocated array.</summary>
internal struct Track
{
    /// <summary>0 while <see cref="TrackState.New"/>: ids are handed out on confirmation so one-frame false positives burn none.</summary>
    public int Id;
    public int ClassId;
    public TrackState State;
    public long StartFrame;
    /// <summary>Frame of the latest matched detection (ByteTrack end_frame).</summary>
    public long LastSeenFrame;
    public float Score;
    public KalmanBoxFilter Filter;
    /// <summary>The filter's box after this frame's prediction: what association compares detections with.</summary>
    public BoundingBox PredictedBox;
    /// <summary>Frames matched in a row since birth while <see cref="TrackState.New"/> (the birth frame counts).</summary>
    public int Hits;
    /// <summary>The <see cref="Hits"/> at which a <see cref="TrackState.New"/> track is confirmed: 2, or <see cref="TrackerOptions.TentativeConfirmFrames"/> for a tentative start.</summary>
    public int HitsToConfirm;
    /// <summary>Index of the detection matched on the current frame, −1 when none.</summary>
    public int DetectionIndex;
    /// <summary>The filter right after its latest update (observation-centric re-update rewinds to it).</summary>
    public KalmanBoxFilter ObservedFilter;
    /// <summary>The latest matched detection's box, as detected.</summary>
    public BoundingBox LastObservation;
    /// <summary>Centres of the up to three observations before <see cref="LastObservation"/>, newest first (momentum's direction of travel).</summary>
    public float PrevX1, PrevY1, PrevX2, PrevY2, PrevX3, PrevY3;
    /// <summary>Observations so far, counted up to 4 (how many of the Prev fields hold one).</summary>
    public int Observations;
}
