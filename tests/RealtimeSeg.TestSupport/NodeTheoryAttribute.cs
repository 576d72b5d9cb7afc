using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>The theory form of <see cref="NodeFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeTheoryAttribute : TheoryAttribute
{
    public NodeTheoryAttribute()
    {
        Skip = OfficialMcapReader.MissingReason;
    }
}
