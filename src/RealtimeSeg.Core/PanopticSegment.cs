namespace RealtimeSeg.Core;

/// <summary>
/// One segment of a panoptic frame: a thing instance (with its track id) or a stuff region (one per stuff
/// category present). Geometry is in source-image pixels even when the map is smaller.
/// </summary>
public struct PanopticSegment
{
    /// <summary>Segment id as written in the map (1…65535; 0 is void).</summary>
    public int Id;
    public int CategoryId;
    public bool IsThing;
    /// <summary>Persistent track id for things (≥ 1), 0 for stuff or untracked things.</summary>
    public int TrackId;
    public float Score;
    public float BboxX;
    public float BboxY;
    public float BboxWidth;
    public float BboxHeight;
    /// <summary>Pixel count of the segment in the map, scaled to image pixels.</summary>
    public int Area;
    public float CentroidX;
    public float CentroidY;
    /// <summary>Box-centre velocity in image pixels per second (0 for stuff).</summary>
    public float VelocityX;
    public float VelocityY;
    /// <summary>Frames since the track began (0 for stuff).</summary>
    public int AgeFrames;
    public SegmentFlags Flags;
}
