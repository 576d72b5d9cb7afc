using Xunit;

namespace RealtimeSeg.TestSupport;

/// <summary>A fact that needs a real <c>nats-server</c> (<see cref="NatsTestServer"/>); skipped with the reason when it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NatsFactAttribute : FactAttribute
{
    public NatsFactAttribute()
    {
        if (NatsTestServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
