using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>A fact that needs the shared assets; skipped with a clear reason when they are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AssetFactAttribute : FactAttribute
{
    public AssetFactAttribute()
    {
        if (!TestAssets.Available)
        {
            Skip = TestAssets.MissingReason;
        }
    }
}
