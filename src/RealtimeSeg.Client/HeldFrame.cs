using RealtimeSeg.Core;

namespace RealtimeSeg.Client;

/// <summary>A frame waiting for its stream's category table (see <see cref="SubscriberOptions.CategoryWaitTimeout"/>).</summary>
internal readonly record struct HeldFrame(PanopticFrame Frame, long ReceivedUtcNs, long HeldSinceNs);
