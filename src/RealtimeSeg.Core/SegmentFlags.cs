namespace RealtimeSeg.Core;

/// <summary>Per-segment flags carried on the wire as a bit set.</summary>
[Flags]
public enum SegmentFlags
{
    None = 0,
    /// <summary>The model gave a box but no mask; the segment's pixels are its box.</summary>
    BoxMask = 1,
}
