namespace RealtimeSeg.Cli.Tests;

/// <summary>A fact that needs root and apt-get (the scripts' apt handling): skipped, saying why, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            Skip = "needs root and apt-get (as CI runs)";
        }
    }
}
