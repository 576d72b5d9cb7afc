using System.Collections.Concurrent;
using RealtimeSeg.Core;

namespace RealtimeSeg.TestSupport;

/// <summary>An <see cref="IPipelineLog"/> that keeps every line, for asserting what was reported.</summary>
public sealed class CollectingLog : IPipelineLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public void Info(string message) => _lines.Enqueue("info: " + message);
    public void Warn(string message) => _lines.Enqueue("warn: " + message);
    public void Error(string message) => _lines.Enqueue("error: " + message);
}
