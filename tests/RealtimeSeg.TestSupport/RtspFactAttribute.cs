using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A fact that needs a real RTSP server (<see cref="RtspTestServer"/>), and with <see cref="NeedsAssets"/> the shared
/// assets too; skipped with the reason when GStreamer's bindings (or the assets) are missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RtspFactAttribute : FactAttribute
{
    public RtspFactAttribute(bool needsAssets = false)
    {
        NeedsAssets = needsAssets;
        if (RtspTestServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
        else if (needsAssets && !TestAssets.Available)
        {
            Skip = TestAssets.MissingReason;
        }
    }

    public bool NeedsAssets { get; }
}
