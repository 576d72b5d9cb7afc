namespace RealtimeSeg.Core;

/// <summary>Discards everything.</summary>
public sealed class NullPipelineLog : IPipelineLog
{
    public static readonly NullPipelineLog Instance = new();

    private NullPipelineLog() { }

    public void Info(string message) { }
    public void Warn(string message) { }
    public void Error(string message) { }
}
