using RealtimeSeg.Core;

namespace RealtimeSeg.Web.Health;

/// <summary>
/// The rule behind <c>/readyz</c>: ready when there is at least one stream and every stream is running and has produced
/// a frame within <see cref="MaxFrameAge"/>. A stream that is connecting, reconnecting, stalled, ended or failed makes
/// the process not ready (a load balancer or supervisor then looks elsewhere); <c>/healthz</c> stays alive meanwhile.
/// </summary>
public sealed record Readiness(TimeSpan MaxFrameAge)
{
    public static readonly TimeSpan DefaultMaxFrameAge = TimeSpan.FromSeconds(5);

    public bool IsReady(IReadOnlyList<StreamHealth> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Count == 0)
        {
            return false;
        }
        foreach (StreamHealth s in streams)
        {
            if (!IsReady(s))
            {
                return false;
            }
        }
        return true;
    }

    public bool IsReady(StreamHealth stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.State == StreamState.Running && stream.SecondsSinceLastFrame is { } age && age <= MaxFrameAge.TotalSeconds;
    }
}
