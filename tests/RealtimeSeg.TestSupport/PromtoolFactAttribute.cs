using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>A fact that checks metrics with <c>promtool</c>; skipped, saying what to install, only when it is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        Skip = Promtool.MissingReason;
    }
}
