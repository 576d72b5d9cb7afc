using System.Text;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Expands <c>${NAME}</c> and <c>${NAME:-default}</c> in configuration values, so configs can point at
/// <c>${REALTIMESEG_ASSETS}/models/…</c>. An unset variable without a default is an error, never an empty string.
/// </summary>
internal static class EnvironmentSubstitution
{
    /// <summary>Returns the expanded value, or null and the name of the first unset variable.</summary>
    public static string? Expand(string value, Func<string, string?> lookup, out string? missingVariable)
    {
        missingVariable = null;
        int start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length + 32);
        int pos = 0;
        while (start >= 0)
        {
            int end = value.IndexOf('}', start + 2);
            if (end < 0)
            {
                break;
            }
            sb.Append(value, pos, start - pos);
            string body = value.Substring(start + 2, end - start - 2);
            int dash = body.IndexOf(":-", StringComparison.Ordinal);
            string name = dash >= 0 ? body[..dash] : body;
            string? resolved = lookup(name);
            if (string.IsNullOrEmpty(resolved))
            {
                if (dash < 0)
                {
                    missingVariable = name;
                    return null;
                }
                resolved = body[(dash + 2)..];
            }
            sb.Append(resolved);
            pos = end + 1;
            start = value.IndexOf("${", pos, StringComparison.Ordinal);
        }
        sb.Append(value, pos, value.Length - pos);
        return sb.ToString();
    }
}
