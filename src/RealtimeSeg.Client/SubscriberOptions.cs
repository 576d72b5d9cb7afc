using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Client;

/// <summary>Settings of <see cref="SegmentationSubscriber"/>.</summary>
public sealed record SubscriberOptions
{
    /// <summary>The publisher's endpoint, e.g. <c>tcp://127.0.0.1:5556</c>.</summary>
    public string Endpoint { get; init; } = "tcp://127.0.0.1:5556";

    /// <summary>One stream name to receive (exact match), or null for every stream.</summary>
    public string? Stream { get; init; }

    /// <summary>ZeroMQ receive queue, in messages, before the publisher starts dropping for this subscriber.</summary>
    public int ReceiveHighWaterMark { get; init; } = 16;

    /// <summary>
    /// Decoded frames kept for a consumer that reads slower than frames arrive; when full the oldest is
    /// dropped and counted in <see cref="SegmentationSubscriber.FramesDropped"/>, so a slow consumer always
    /// sees recent frames.
    /// </summary>
    public int BufferCapacity { get; init; } = 16;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoint) || !Endpoint.Contains("://", StringComparison.Ordinal))
        {
            throw new ConfigurationException($"subscribe.endpoint: '{Endpoint}' is not a valid endpoint; expected e.g. tcp://127.0.0.1:5556");
        }
        if (Stream is not null && !WireFormat.IsValidStreamName(Stream))
        {
            throw new ConfigurationException($"subscribe.stream: '{Stream}' is not a valid stream name (1–{WireFormat.MaxStreamNameLength} characters of A-Z a-z 0-9 _ . -)");
        }
        if (ReceiveHighWaterMark < 1)
        {
            throw new ConfigurationException($"subscribe.receive_high_water_mark: {ReceiveHighWaterMark} is invalid; expected an integer ≥ 1");
        }
        if (BufferCapacity < 1)
        {
            throw new ConfigurationException($"subscribe.buffer_capacity: {BufferCapacity} is invalid; expected an integer ≥ 1");
        }
    }
}
