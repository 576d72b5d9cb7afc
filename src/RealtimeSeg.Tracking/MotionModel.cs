namespace RealtimeSeg.Tracking;

/// <summary>The Kalman state a track's box is filtered in (<see cref="TrackerOptions.MotionModel"/>).</summary>
public enum MotionModel
{
    /// <summary>
    /// ByteTrack's (and DeepSORT's) state: centre, aspect ratio w/h and height, with their velocities; every noise scaled
    /// by the height and the aspect ratio given a tiny one, so a box's width follows its height.
    /// </summary>
    Xyah = 0,

    /// <summary>
    /// BoT-SORT's state: centre, width and height, with their velocities; horizontal noise scaled by the width and
    /// vertical by the height, so a box whose shape changes (a car turning, an object entering the image edge) is
    /// followed in both sizes. Measured on the development benchmark (docs/tracking.md) it lost to <see cref="Xyah"/>
    /// and swaps crossing pedestrians more often, so it is not the default.
    /// </summary>
    Xywh = 1,
}
