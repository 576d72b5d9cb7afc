using RealtimeSeg.Core;

namespace RealtimeSeg.Client;

/// <summary>
/// One frame as received by a <see cref="SegmentationSubscriber"/>, as an owned copy
/// (<see cref="SegmentationSubscriber.ReadAllAsync"/>, <see cref="FrameLoan.ToReceivedFrame"/>). Receiving
/// without a copy per frame: <see cref="FrameLoan"/>.
/// </summary>
/// <param name="Stream">Stream name, e.g. "s0".</param>
/// <param name="Frame">
/// The decoded frame. A new instance per received frame (a copy of the lent one), owned by the consumer from
/// then on (the subscriber never touches it again), so it may be kept or handed to another thread.
/// </param>
/// <param name="Categories">
/// The category table the frame's category ids refer to (matched on stream and <c>cat_ver</c>), or null when
/// that table has not been received yet — possible for the first frames right after joining, because the
/// publisher answers a subscription with the table while frames keep flowing. Ids, boxes and the map are valid
/// either way.
/// </param>
/// <param name="ReceiveUtcNs">Wall-clock time the payload was received, ns since the Unix epoch.</param>
/// <param name="LatencyMs">
/// Capture-to-receive latency: <paramref name="ReceiveUtcNs"/> − the frame's capture UTC time. Meaningful when
/// the publisher's and subscriber's clocks agree (same host, or synchronised); NaN when the frame has no
/// capture time.
/// </param>
public sealed record ReceivedFrame(string Stream, PanopticFrame Frame, CategoryTable? Categories, long ReceiveUtcNs, double LatencyMs);
