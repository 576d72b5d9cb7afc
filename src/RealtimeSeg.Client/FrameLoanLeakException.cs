namespace RealtimeSeg.Client;

/// <summary>Frames lent by a <see cref="SegmentationSubscriber"/> were never returned (found by its leak check).</summary>
public sealed class FrameLoanLeakException : InvalidOperationException
{
    public FrameLoanLeakException(string message) : base(message) { }
}
