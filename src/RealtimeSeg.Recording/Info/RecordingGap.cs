namespace RealtimeSeg.Recording.Info;

/// <summary>A silence on one channel: two consecutive messages further apart than the gap threshold.</summary>
/// <param name="Topic">The channel's topic.</param>
/// <param name="StartNs">Log time of the message before the gap.</param>
/// <param name="EndNs">Log time of the message after it.</param>
public sealed record RecordingGap(string Topic, long StartNs, long EndNs)
{
    /// <summary>How long the channel was silent.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((EndNs - StartNs) / 100);
}
