using RealtimeSeg.Core;

namespace RealtimeSeg.Web.Viewer;

/// <summary>One stream as the viewer's meta message describes it.</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="FramesPerSecond">The source's nominal rate; 0 when not known.</param>
/// <param name="Categories">The category table its frames refer to; null until known (a viewer of another process waits for the meta message).</param>
public sealed record ViewerStreamInfo(string Name, double FramesPerSecond, CategoryTable? Categories);
