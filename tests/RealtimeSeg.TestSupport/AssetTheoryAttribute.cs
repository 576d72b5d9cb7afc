using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>A theory that needs the shared assets; skipped with a clear reason when they are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AssetTheoryAttribute : TheoryAttribute
{
    public AssetTheoryAttribute()
    {
        if (!TestAssets.Available)
        {
            Skip = TestAssets.MissingReason;
        }
    }
}
