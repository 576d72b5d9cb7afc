namespace RealtimeSeg.Fleet;

/// <summary>How one segment's ids were joined to the previous segment's over their shared frames.</summary>
/// <param name="Segment">The later segment's index.</param>
/// <param name="SharedFrames">Frames both segments processed (the overlap).</param>
/// <param name="Joined">Tracks of this segment that continue a track of the previous one.</param>
/// <param name="New">Tracks of this segment given a new id (they start in it, or matched nothing in the overlap).</param>
/// <param name="MeanIou">Mean box IoU over the shared frames of the joined pairs (1 = the two runs agreed exactly).</param>
public sealed record SegmentJoin(int Segment, long SharedFrames, int Joined, int New, double MeanIou);
