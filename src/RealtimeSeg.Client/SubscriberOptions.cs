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

    /// <summary>
    /// Frames the consumer may hold on loan at once (<see cref="FrameLoan"/>) without taking them from the
    /// <see cref="BufferCapacity"/> waiting frames. The subscriber's pool is BufferCapacity + LoanCapacity + 1
    /// frames, each the size of one decoded map (e.g. 450 KiB for 640x360), allocated as frames first fill them.
    /// </summary>
    public int LoanCapacity { get; init; } = 2;

    /// <summary>
    /// Records where each frame was lent, so <see cref="SegmentationSubscriber.AssertNoLeaks"/> and disposal can
    /// report loans never returned with their stacks (disposal then throws <see cref="FrameLoanLeakException"/>).
    /// For tests: capturing a stack trace per frame allocates.
    /// </summary>
    public bool Diagnostics { get; init; }

    /// <summary>
    /// Also subscribe to the v2 image topic (each processed camera frame as JPEG, when the publisher runs with
    /// <c>--publish-images</c>), raising <see cref="SegmentationSubscriber.ImageReceived"/>. Off by default: images are
    /// most of the bytes, and ZeroMQ filters topics at the publisher, so an unsubscribed topic costs no bandwidth.
    /// </summary>
    public bool ReceiveImages { get; init; }

    /// <summary>
    /// How long a frame that arrives before its stream's category table is held back waiting for the table
    /// (the publisher answers a new subscription with the table at once, but the first frame can overtake it by
    /// a few milliseconds). Held frames are delivered, in order, with the table as soon as it arrives, or with
    /// a null table after this timeout. <see cref="TimeSpan.Zero"/> delivers them immediately with a null table.
    /// </summary>
    public TimeSpan CategoryWaitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The publisher's CURVE public certificate (<c>server.key</c> from <c>realtimeseg keys generate</c>, or pyzmq's
    /// <c>zmq.auth.create_certificates</c>), for a publisher started with <c>--curve-secret</c>. The subscriber then checks
    /// it talks to the holder of the matching secret key and the stream is encrypted; without it, such a publisher
    /// sends this subscriber nothing. Null: plaintext.
    /// </summary>
    public string? ServerKey { get; init; }

    /// <summary>
    /// Largest map, segment count and message accepted from the publisher; frames beyond them are rejected before
    /// anything is allocated for them and counted (<see cref="SegmentationSubscriber.MessagesRejected"/>).
    /// </summary>
    public MessageLimits Limits { get; init; } = MessageLimits.Default;

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
        if (CategoryWaitTimeout < TimeSpan.Zero)
        {
            throw new ConfigurationException($"subscribe.category_wait_timeout: {CategoryWaitTimeout} is invalid; expected zero or a positive duration");
        }
        if (BufferCapacity < 1)
        {
            throw new ConfigurationException($"subscribe.buffer_capacity: {BufferCapacity} is invalid; expected an integer ≥ 1");
        }
        if (ServerKey is not null && string.IsNullOrWhiteSpace(ServerKey))
        {
            throw new ConfigurationException("subscribe.server_key: empty; expected the path of the publisher's NAME.key file");
        }
        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate("subscribe.limits");
        if (LoanCapacity < 1)
        {
            throw new ConfigurationException($"subscribe.loan_capacity: {LoanCapacity} is invalid; expected an integer ≥ 1");
        }
    }
}
