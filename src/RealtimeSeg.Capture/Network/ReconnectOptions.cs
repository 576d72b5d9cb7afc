using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Network;

/// <summary>
/// When a network stream cannot be reached or is lost, it is retried after an exponentially growing, jittered delay
/// (the <c>network.reconnect:</c> section of a source).
/// </summary>
public sealed record ReconnectOptions
{
    /// <summary>Attempts in a row before the source gives up and fails (exit 3); 0, the default, retries forever.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>Delay before the first retry; each further retry doubles it up to <see cref="MaxDelay"/>. Default 0.5 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between two attempts. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ConfigurationException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (MaxAttempts < 0)
        {
            throw new ConfigurationException($"source option 'network.reconnect.max_attempts' is {MaxAttempts}; expected 0 (retry forever) or a positive count");
        }
        if (InitialDelay <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"source option 'network.reconnect.initial_delay' is {InitialDelay.TotalSeconds} s; expected a positive duration such as 500ms");
        }
        if (MaxDelay < InitialDelay)
        {
            throw new ConfigurationException($"source option 'network.reconnect.max_delay' ({MaxDelay.TotalSeconds} s) is shorter than initial_delay ({InitialDelay.TotalSeconds} s)");
        }
    }
}
