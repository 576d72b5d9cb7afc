namespace RealtimeSeg.Core;

/// <summary>
/// Where libraries report events (start, fallback, loss, recovery — never per frame). The CLI writes them to
/// stderr; tests collect them. Libraries never write to the console themselves.
/// </summary>
public interface IPipelineLog
{
    void Info(string message);
    void Warn(string message);
    void Error(string message);
}
