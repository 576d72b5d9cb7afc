namespace RealtimeSeg.Tracking;

/// <summary>How the live pipeline estimates the camera's motion between frames for the tracker (<see cref="TrackerOptions.CameraMotion"/>).</summary>
public enum CameraMotionMode
{
    /// <summary>No compensation: tracks move only by their own Kalman velocity.</summary>
    Off = 0,

    /// <summary>
    /// BoT-SORT's sparse-flow GMC: corners of the previous frame (downscaled, grey) followed into the current one by
    /// pyramidal Lucas–Kanade, a partial affine (rotation, uniform scale, shift) fitted to them with RANSAC, and every
    /// track moved by it before association (<see cref="ByteTracker.ApplyCameraMotion"/>).
    /// </summary>
    SparseFlow = 1,
}
