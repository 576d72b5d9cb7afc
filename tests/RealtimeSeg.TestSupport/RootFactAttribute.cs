using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A fact that needs root (it mounts a small filesystem, <see cref="SmallFilesystem"/>); skipped with the reason when the
/// test host is not privileged. CI runs as root, so there it always runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root: it mounts a small tmpfs to fill (mount -t tmpfs -o size=… tmpfs DIR)";
        }
    }
}
