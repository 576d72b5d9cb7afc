using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Drives;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>Start-up only: one stream to create — its name and URI, and the drive it is a camera of (null for a plain source).</summary>
internal sealed record StreamPlan(string Name, string Uri, DriveConfig? Drive, SourceConfig? Source);
