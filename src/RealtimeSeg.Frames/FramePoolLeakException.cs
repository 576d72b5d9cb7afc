namespace RealtimeSeg.Frames;

/// <summary>Frame slots were still rented when the pool was checked or disposed in diagnostic mode.</summary>
public sealed class FramePoolLeakException : Exception
{
    public FramePoolLeakException(string message) : base(message) { }
}
