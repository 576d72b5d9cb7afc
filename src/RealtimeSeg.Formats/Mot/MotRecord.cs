namespace RealtimeSeg.Formats.Mot;

/// <summary>
/// One row of a MOTChallenge text file: <c>frame,id,x,y,w,h,conf,class,visibility</c> (MOT16/17/20 ground truth)
/// or <c>frame,id,x,y,w,h,conf,x,y,z</c> (MOT15 files and every tracker file, the world coordinates are −1).
/// </summary>
/// <param name="Frame">1-based frame number.</param>
/// <param name="Id">Object (ground truth) or track (prediction) id; as TrackEval, a fractional id is truncated.</param>
/// <param name="X">Left edge in pixels.</param>
/// <param name="Y">Top edge in pixels.</param>
/// <param name="Width">Box width in pixels.</param>
/// <param name="Height">Box height in pixels.</param>
/// <param name="Confidence">
/// Column 7. For ground truth it is the "consider" flag: TrackEval evaluates only rows whose flag, truncated to an
/// integer, is not 0. For predictions it is the score (not used by the metrics). 1 when the file has no column 7.
/// </param>
/// <param name="ClassId">
/// Column 8 truncated to an integer: the MOT16/17/20 class (1 pedestrian, 2 person on vehicle, 3 car, 4 bicycle,
/// 5 motorbike, 6 non-motorised vehicle, 7 static person, 8 distractor, 9–11 occluders, 12 reflection, 13 crowd);
/// −1 in MOT15-style files (the world x) and when the file has no column 8.
/// </param>
/// <param name="Visibility">Column 9: visibility ratio in MOT16/17/20 ground truth, −1 otherwise or when absent.</param>
public readonly record struct MotRecord(
    int Frame, int Id, double X, double Y, double Width, double Height, double Confidence, int ClassId, double Visibility)
{
    /// <summary>A tracker-style row: score as confidence, no class (−1), no visibility (−1).</summary>
    public static MotRecord Track(int frame, int id, double x, double y, double width, double height, double score = 1.0)
        => new(frame, id, x, y, width, height, score, -1, -1);
}
