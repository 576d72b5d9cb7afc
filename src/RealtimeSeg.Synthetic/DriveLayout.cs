namespace RealtimeSeg.Synthetic;

/// <summary>
/// The street's fixed cross-section and the camera rig, in metres. X is lateral (right positive) from the ego lane's
/// centre, Y is height above the road, Z is distance along the road. Traffic keeps to the right: two oncoming lanes on
/// the left, the ego lane and a slower right lane (with cyclists at its kerb side).
/// </summary>
internal static class DriveLayout
{
    public const float LaneWidth = 3.5f;
    public const float OncomingOuterLane = -7f;
    public const float OncomingInnerLane = -3.5f;
    public const float EgoLane = 0f;
    public const float RightLane = 3.5f;
    public const float BikeLine = 4.55f;

    public const float RoadLeft = -8.75f;
    public const float RoadRight = 5.25f;
    public const float CurbWidth = 0.25f;
    public const float SidewalkWidth = 3.5f;
    public const float LeftSidewalkInner = RoadLeft - CurbWidth;
    public const float LeftSidewalkOuter = LeftSidewalkInner - SidewalkWidth;
    public const float RightSidewalkInner = RoadRight + CurbWidth;
    public const float RightSidewalkOuter = RightSidewalkInner + SidewalkWidth;

    public const float MarkingWidth = 0.15f;
    public const float DashLength = 3f;
    public const float DashPeriod = 12f;
    public const float CrosswalkHalfDepth = 2f;

    public const float CameraHeight = 1.4f;

    /// <summary>Focal length as a fraction of the image width: a 64° horizontal field of view.</summary>
    public const float FocalPerWidth = 0.8f;

    /// <summary>Horizon row as a fraction of the image height (before camera shake).</summary>
    public const float HorizonPerHeight = 0.46f;

    /// <summary>Nothing closer than this to the camera plane is drawn (the bonnet would be there).</summary>
    public const float NearPlane = 0.8f;

    /// <summary>Road and kerbs are drawn to this distance; beyond it they are thinner than a pixel.</summary>
    public const float GroundFar = 600f;

    /// <summary>Roadside lots, trees and crossings exist up to this far ahead.</summary>
    public const float GenerationAhead = 320f;

    public const float EgoLength = 4.5f;
    public const float EgoWidth = 1.8f;
}
