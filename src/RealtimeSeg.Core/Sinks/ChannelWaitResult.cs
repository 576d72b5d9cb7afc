namespace RealtimeSeg.Core.Sinks;

/// <summary>What ended a <see cref="ChannelWaiter.WaitToRead{T}"/>.</summary>
public enum ChannelWaitResult
{
    /// <summary>An item can be read.</summary>
    Readable,

    /// <summary>The channel completed and is empty.</summary>
    Completed,

    /// <summary>The stop condition held after a wake.</summary>
    Stopped,

    /// <summary>The timeout passed with nothing to read.</summary>
    TimedOut,
}
