using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A fact that checks recordings with the official MCAP reader (tools/mcap-check, run by Debian's nodejs). Skipped,
/// saying what to install, only when no <c>node</c> is on PATH; a failing <c>npm ci</c> fails the test instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        Skip = OfficialMcapReader.MissingReason;
    }
}
