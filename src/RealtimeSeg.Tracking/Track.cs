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
    /// <summary>Index of the detection matched on the current frame, −1 when none.</summary>
    public int DetectionIndex;
}
