namespace RealtimeSeg.Protocol;

/// <summary>How the segment-id map travels in a frame message (the <c>enc</c> field, docs/protocol.md §4).</summary>
public enum MapEncoding
{
    /// <summary>"rle16": row-major runs of (uint16 LE id, uint16 LE length ≥ 1); runs may cross rows.</summary>
    Rle16 = 0,

    /// <summary>"raw16": one uint16 LE segment id per map pixel, row-major.</summary>
    Raw16 = 1,
}
