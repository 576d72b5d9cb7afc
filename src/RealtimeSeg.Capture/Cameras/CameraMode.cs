namespace RealtimeSeg.Capture.Cameras;

/// <summary>One mode a camera offers: pixel format, size and the frame rates at that size (empty when the driver lists none).</summary>
public sealed record CameraMode(string Fourcc, string Description, int Width, int Height, IReadOnlyList<double> FramesPerSecond);
