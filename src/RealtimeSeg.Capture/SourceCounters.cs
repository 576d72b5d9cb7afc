using System.Diagnostics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture;

/// <summary>
/// What a source has done so far. Written by the source's capture thread only; every property may be read from any
/// thread at any time (each value is read atomically; the set as a whole is not a snapshot).
/// </summary>
public sealed class SourceCounters
{
    private long _framesRead;
    private long _framesCaptured;
    private long _framesDroppedNoSlot;
    private long _framesCopied;
    private long _framesSkipped;
    private long _framesCorrupt;
    private long _reconnects;
    private long _connectFailures;
    private volatile string? _lastError;
    private volatile StreamState _state = StreamState.Connecting;

    /// <summary>Every frame the source produced, delivered or not: the next sequence number.</summary>
    public long FramesRead => Interlocked.Read(ref _framesRead);

    /// <summary>
    /// Frames before <see cref="SourceOptions.FirstFrame"/>, read past and never delivered (in <see cref="FramesRead"/>,
    /// which stays the next sequence number): a segment's run did not capture them.
    /// </summary>
    public long FramesSkipped => Interlocked.Read(ref _framesSkipped);

    /// <summary>Frames handed over to the output channel (a drop-oldest channel may still evict some of them).</summary>
    public long FramesCaptured => Interlocked.Read(ref _framesCaptured);

    /// <summary>Frames skipped because every frame slot was taken (never in <see cref="Pacing.Lockstep"/>).</summary>
    public long FramesDroppedNoSlot => Interlocked.Read(ref _framesDroppedNoSlot);

    /// <summary>Frames the decoder could not write into the slot in place and that were copied once instead.</summary>
    public long FramesCopied => Interlocked.Read(ref _framesCopied);

    /// <summary>Frames that could not be decoded and were skipped.</summary>
    public long FramesCorrupt => Interlocked.Read(ref _framesCorrupt);

    /// <summary>Times a network or device source reconnected (always 0 for files).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Connection attempts of a network or device source that failed (unreachable, no video, no frames); each is followed by a retry with back-off.</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Why the last connection attempt failed or the stream was lost (credentials redacted); null while none has.</summary>
    public string? LastError => _lastError;

    /// <summary>
    /// <see cref="StreamState.Connecting"/> until the first frame is handed over, then <see cref="StreamState.Running"/>;
    /// a network or device source that lost its stream is <see cref="StreamState.Reconnecting"/> until frames come again.
    /// (Whether the stream has ended is the pipeline's to say: it sees the source's channel complete.)
    /// </summary>
    public StreamState State => _state;

    internal void AddConnectFailure(string reason)
    {
        _lastError = reason;
        Interlocked.Increment(ref _connectFailures);
    }

    internal void SetLastError(string reason) => _lastError = reason;

    internal void AddRead(long frames = 1) => Interlocked.Add(ref _framesRead, frames);

    /// <summary>One frame before the first frame: read (its sequence number is used up) and skipped.</summary>
    internal void AddSkipped()
    {
        // Read first: a reader that takes FramesSkipped before FramesRead never sees more skipped than read.
        Interlocked.Increment(ref _framesRead);
        Interlocked.Increment(ref _framesSkipped);
    }
    internal void AddCaptured()
    {
        Interlocked.Increment(ref _framesCaptured);
        if (_state != StreamState.Running)
        {
            _state = StreamState.Running;
        }
    }

    /// <summary>The stream was lost after delivering frames; the source tries to get it back.</summary>
    internal void SetReconnecting() => _state = StreamState.Reconnecting;
    internal void AddDroppedNoSlot() => Interlocked.Increment(ref _framesDroppedNoSlot);
    internal void AddCopied() => Interlocked.Increment(ref _framesCopied);
    internal void AddCorrupt(long frames = 1) => Interlocked.Add(ref _framesCorrupt, frames);
    internal void AddReconnect() => Interlocked.Increment(ref _reconnects);

    [Conditional("DEBUG")]
    internal void AssertInvariants()
    {
        // A frame read but neither delivered, dropped nor corrupt can only be the one in flight when the run stopped.
        long accounted = FramesCaptured + FramesDroppedNoSlot + FramesCorrupt + FramesSkipped;
        Debug.Assert(accounted <= FramesRead, "more frames accounted for than were read");
        Debug.Assert(FramesCopied <= FramesCaptured + 1, "a copied frame is a captured one");
    }
}
