namespace RealtimeSeg.Synthetic;

/// <summary>
/// One segment of a synthetic frame's ground truth: a thing (one object, <see cref="ObjectId"/> ≥ 1) or a stuff
/// category (one segment per category present, <see cref="ObjectId"/> 0). Geometry counts the id map's pixels: the
/// box is the visible extent after occlusion (pixel-inclusive X…X+Width-1, Y…Y+Height-1) and
/// <see cref="Area"/> the visible pixel count.
/// </summary>
/// <param name="Id">Segment id in <see cref="SyntheticGroundTruth.Map"/>; only unique within the frame.</param>
/// <param name="CategoryId">A <see cref="SyntheticCategories"/> id.</param>
/// <param name="Kind">What the thing is; <see cref="SyntheticThingKind.None"/> for stuff.</param>
/// <param name="ObjectId">The persistent object id for things, the same in every frame of the object's life; 0 for stuff.</param>
/// <param name="X">Left column of the visible box.</param>
/// <param name="Y">Top row of the visible box.</param>
/// <param name="Width">Columns spanned by the visible box.</param>
/// <param name="Height">Rows spanned by the visible box.</param>
/// <param name="Area">Visible pixels.</param>
/// <param name="UnoccludedArea">Pixels the object would cover with nothing nearer in front of it (clipped to the image); equals <paramref name="Area"/> for stuff.</param>
/// <param name="CentroidX">Mean column of the visible pixels (pixel centres at integer + 0.5).</param>
/// <param name="CentroidY">Mean row of the visible pixels.</param>
public readonly record struct SyntheticSegment(
    int Id,
    int CategoryId,
    SyntheticThingKind Kind,
    int ObjectId,
    int X,
    int Y,
    int Width,
    int Height,
    int Area,
    int UnoccludedArea,
    float CentroidX,
    float CentroidY)
{
    public bool IsThing => Kind != SyntheticThingKind.None;

    /// <summary>Visible share of the object, 0…1 (the MOTChallenge visibility column); 1 for stuff.</summary>
    public double Visibility => UnoccludedArea > 0 ? Math.Min(1.0, (double)Area / UnoccludedArea) : 1.0;
}
