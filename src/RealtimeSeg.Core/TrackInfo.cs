namespace RealtimeSeg.Core;

/// <summary>What the tracker says about one detection of the current frame.</summary>
/// <param name="TrackId">Persistent id (≥ 1) of the track the detection belongs to; 0 when it is not (yet) tracked.</param>
/// <param name="VelocityX">Box-centre velocity in image pixels per frame, from the tracker's motion model.</param>
/// <param name="VelocityY">As <paramref name="VelocityX"/>, vertically.</param>
/// <param name="AgeFrames">Frames since the track began (0 on its first frame).</param>
public readonly record struct TrackInfo(int TrackId, float VelocityX, float VelocityY, int AgeFrames)
{
    public static TrackInfo Untracked => default;
}
