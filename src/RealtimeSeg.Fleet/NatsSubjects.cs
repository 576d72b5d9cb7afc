namespace RealtimeSeg.Fleet;

/// <summary>Subjects of the live NATS bridge: the exact wire messages of docs/protocol.md, one subject per stream and kind.</summary>
public static class NatsSubjects
{
    /// <summary><c>realtimeseg.&lt;stream&gt;.panoptic</c>: each frame's wire message.</summary>
    public static string Panoptic(string stream) => $"realtimeseg.{stream}.panoptic";

    /// <summary><c>realtimeseg.&lt;stream&gt;.meta</c>: the category table, at start and every few seconds (for late joiners).</summary>
    public static string Meta(string stream) => $"realtimeseg.{stream}.meta";

    /// <summary><c>realtimeseg.&lt;stream&gt;.end</c>: the stream's end-of-stream message.</summary>
    public static string End(string stream) => $"realtimeseg.{stream}.end";

    /// <summary>Every bridge subject of every stream.</summary>
    public const string All = "realtimeseg.*.*";

    /// <summary>True when <paramref name="endpoint"/> names a NATS server rather than a ZeroMQ endpoint.</summary>
    public static bool IsNatsUrl(string endpoint)
        => endpoint.StartsWith("nats://", StringComparison.Ordinal) || endpoint.StartsWith("tls://", StringComparison.Ordinal);
}
