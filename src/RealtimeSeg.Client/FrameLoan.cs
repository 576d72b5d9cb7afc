using System.Runtime.CompilerServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Client;

/// <summary>
/// A received frame lent by a <see cref="SegmentationSubscriber"/> from its fixed pool; disposing the loan
/// gives the frame back.
/// </summary>
/// <remarks>
/// <para><b>Lifetime</b> (as with ONNX Runtime's <c>OrtValue</c> over a pinned buffer): a loan is created by
/// <see cref="SegmentationSubscriber.TryReceive(out FrameLoan)"/> (or one of its variants) and must be disposed
/// exactly once, by whoever holds it last. Until then the frame is the holder's alone: the subscriber never
/// touches a lent frame, so it may be read on any thread and handed to another (transferring the duty to
/// dispose). Disposing returns the frame to the pool, where the next message will be decoded into it.</para>
/// <para><b>After disposal</b>, every copy of the struct throws <see cref="ObjectDisposedException"/> on use,
/// and disposing again throws <see cref="InvalidOperationException"/>. References taken from the loan —
/// <see cref="Frame"/>, its <see cref="PanopticFrame.Map"/> and <see cref="PanopticFrame.Segments"/> spans — are
/// not checked: like the span of a disposed <c>OrtValue</c>, they silently show a later frame. Copy what must
/// outlive the loan (<see cref="ToReceivedFrame"/> makes an owned copy).</para>
/// <para><b>Not returning</b> a loan does not leak memory, but the frame stays out of the pool: a consumer that
/// keeps every frame leaves the subscriber nothing to receive into, and it drops incoming frames (counted in
/// <see cref="SegmentationSubscriber.FramesDropped"/>) until loans come back. Subscribers created with
/// <see cref="SubscriberOptions.Diagnostics"/> record where each frame was lent and report loans never
/// returned (<see cref="SegmentationSubscriber.AssertNoLeaks"/>, and on disposal).</para>
/// <para><c>default(FrameLoan)</c> holds nothing: <see cref="IsValid"/> is false, its members throw, and
/// disposing it does nothing.</para>
/// </remarks>
public readonly struct FrameLoan : IDisposable
{
    private readonly LendableFrame? _frame;
    private readonly int _generation;

    internal FrameLoan(LendableFrame frame, int generation)
    {
        _frame = frame;
        _generation = generation;
    }

    /// <summary>True from lending until the loan is disposed; false for <c>default</c>.</summary>
    public bool IsValid => _frame is not null && Volatile.Read(ref _frame.Generation) == _generation;

    /// <summary>Stream name, e.g. "s0".</summary>
    public string Stream => Lent.Frame.StreamName;

    /// <summary>The decoded frame, valid until the loan is disposed (see the lifetime rules above).</summary>
    public PanopticFrame Frame => Lent.Frame;

    /// <summary>
    /// The category table the frame's category ids refer to (matched on stream and <c>cat_ver</c>), or null when
    /// that table had not arrived within <see cref="SubscriberOptions.CategoryWaitTimeout"/>. Tables are immutable
    /// and may be kept after the loan ends.
    /// </summary>
    public CategoryTable? Categories => Lent.Categories;

    /// <summary>Wall-clock time the payload was received, ns since the Unix epoch.</summary>
    public long ReceiveUtcNs => Lent.ReceiveUtcNs;

    /// <summary>
    /// Capture-to-receive latency (meaningful when the publisher's and subscriber's clocks agree); NaN when the
    /// frame has no capture time.
    /// </summary>
    public double LatencyMs
    {
        get
        {
            LendableFrame f = Lent;
            return f.Frame.CaptureUtcNs == 0 ? double.NaN : MonotonicClock.ToMilliseconds(f.ReceiveUtcNs - f.Frame.CaptureUtcNs);
        }
    }

    /// <summary>An owned deep copy of the frame (allocates a new map), which outlives the loan.</summary>
    public ReceivedFrame ToReceivedFrame()
    {
        LendableFrame f = Lent;
        var copy = new PanopticFrame(f.Frame.Map.Length, f.Frame.SegmentCount);
        copy.CopyFrom(f.Frame);
        return new ReceivedFrame(copy.StreamName, copy, f.Categories, f.ReceiveUtcNs, LatencyMs);
    }

    /// <summary>Returns the frame to the subscriber's pool. Exactly once per loan.</summary>
    public void Dispose() => _frame?.Owner.Return(_frame, _generation);

    private LendableFrame Lent
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            LendableFrame? f = _frame;
            if (f is null || Volatile.Read(ref f.Generation) != _generation)
            {
                ThrowReturned();
            }
            return f!;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowReturned()
        => throw new ObjectDisposedException(nameof(FrameLoan), "the frame loan was used after it was disposed (its frame went back to the subscriber's pool), or it is default");
}
