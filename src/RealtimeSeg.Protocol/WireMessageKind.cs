namespace RealtimeSeg.Protocol;

/// <summary>The two message kinds of the protocol, told apart by topic (and by the payload's <c>type</c> field).</summary>
public enum WireMessageKind
{
    /// <summary>A panoptic frame, topic <c>rseg/frame/&lt;stream&gt;</c>.</summary>
    Frame = 0,

    /// <summary>A stream's category table, topic <c>rseg/meta/&lt;stream&gt;</c>.</summary>
    Meta = 1,
}
