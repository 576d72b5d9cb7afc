namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>A theory that needs the shared assets and the python tooling that derives test models from them; skips with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DerivedModelTheoryAttribute : TheoryAttribute
{
    public DerivedModelTheoryAttribute()
    {
        if (DerivedModels.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
