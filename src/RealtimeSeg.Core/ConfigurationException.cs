namespace RealtimeSeg.Core;

/// <summary>Bad usage or configuration; the message names the file, line and key (exit code 2).</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message) { }
    public ConfigurationException(string message, Exception inner) : base(message, inner) { }
}
