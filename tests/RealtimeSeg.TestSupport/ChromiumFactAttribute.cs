using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>A fact that drives Debian's chromium; skipped, saying what to install, only when chromium is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = ChromiumBrowser.MissingReason;
    }
}
