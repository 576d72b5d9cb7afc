namespace RealtimeSeg.Capture.Cameras;

/// <summary>A V4L2 video capture device and the modes it offers.</summary>
public sealed record CameraDevice(string Path, string Name, IReadOnlyList<CameraMode> Modes)
{
    /// <summary>The source URI that opens it (<c>camera:N</c>).</summary>
    public string Uri => "camera:" + Path["/dev/video".Length..];
}
