namespace RealtimeSeg.Protocol;

/// <summary>The message kinds of the protocol, told apart by topic (and by the payload's <c>type</c> field).</summary>
public enum WireMessageKind
{
    /// <summary>A panoptic frame, topic <c>rseg/frame/&lt;stream&gt;</c>.</summary>
    Frame = 0,

    /// <summary>A stream's category table, topic <c>rseg/meta/&lt;stream&gt;</c>.</summary>
    Meta = 1,

    /// <summary>v2: the camera frame the model saw, as JPEG, topic <c>rseg/image/&lt;stream&gt;</c> (only with <c>--publish-images</c>).</summary>
    Image = 2,

    /// <summary>v2: a stream ended (completed, source lost, stopping), topic <c>rseg/end/&lt;stream&gt;</c>.</summary>
    End = 3,
}
