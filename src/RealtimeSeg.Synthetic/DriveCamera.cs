namespace RealtimeSeg.Synthetic;

/// <summary>
/// The forward camera of one frame: a pinhole at <see cref="DriveLayout.CameraHeight"/> looking down the road with
/// no pitch or roll, its principal point moved by the frame's shake. Z arguments are distances ahead of the camera.
/// </summary>
internal readonly struct DriveCamera
{
    public DriveCamera(int width, int height, float shakeX, float shakeY)
    {
        Focal = DriveLayout.FocalPerWidth * width;
        CenterX = (width * 0.5f) + shakeX;
        Horizon = (height * DriveLayout.HorizonPerHeight) + shakeY;
    }

    public float Focal { get; }
    public float CenterX { get; }

    /// <summary>Image row of the horizon (the vanishing point's row).</summary>
    public float Horizon { get; }

    public float U(float x, float z) => CenterX + (Focal * x / z);

    public float V(float y, float z) => Horizon + (Focal * (DriveLayout.CameraHeight - y) / z);
}
