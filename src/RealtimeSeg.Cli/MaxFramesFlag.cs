using System.CommandLine;
using System.Globalization;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>--max-frames N</c> of <c>run</c> and <c>demo</c>, checked as the flag it is: a bad value fails the parse (exit 2)
/// naming the flag, instead of reaching the config's validation, which would blame the config file the flag overrode.
/// </summary>
internal static class MaxFramesFlag
{
    public static Option<long?> Create(string description)
    {
        var option = new Option<long?>("--max-frames") { Description = description };
        option.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<long?>() is < 0 and long n)
            {
                result.AddError($"--max-frames must be ≥ 0 (0 = no limit), got {n.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        return option;
    }
}
