namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// Nanoseconds of pipeline work spent on one frame outside the model run and video decode, by part (DESIGN §7's
/// budget): each stage adds its own wall time on its own thread, so the parts never overlap and add up. Not on the
/// wire; for the stats and <c>realtimeseg bench</c>'s breakdown.
/// </summary>
public struct FrameWork
{
    /// <summary>Letterbox into the model inputs, and the picture for images and overlays (inference thread, slot held).</summary>
    public long PreprocessNs;

    /// <summary>Model outputs → detections (and fusion of several models), after <c>Run</c>.</summary>
    public long DecodeNs;

    /// <summary>The tracker's update (and anything the tracking stage does for it, but camera motion).</summary>
    public long TrackNs;

    /// <summary>
    /// Camera-motion compensation (<c>tracker.camera_motion</c>; 0 when off): the grey copy made on the inference thread
    /// while the slot is held, the estimate and the tracks' move on the tracking stage — left out of
    /// <see cref="PreprocessNs"/> and <see cref="TrackNs"/>, so the parts still add up.
    /// </summary>
    public long CameraMotionNs;

    /// <summary>The panoptic map, segments and the frame's metadata.</summary>
    public long ComposeNs;

    /// <summary>Serialising the wire messages.</summary>
    public long EncodeNs;

    public readonly long TotalNs => PreprocessNs + DecodeNs + TrackNs + CameraMotionNs + ComposeNs + EncodeNs;
}
