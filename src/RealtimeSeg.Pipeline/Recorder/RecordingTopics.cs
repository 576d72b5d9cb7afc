namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>The channels of a RealtimeSeg recording (docs/recording.md), per stream.</summary>
public static class RecordingTopics
{
    /// <summary>Schema name of the panoptic channel: the exact v2 wire message, MessagePack (docs/protocol.md §3).</summary>
    public const string FrameSchema = "realtimeseg.frame.v2";
    public const string MetaSchema = "realtimeseg.meta.v2";
    public const string EndSchema = "realtimeseg.end.v2";

    /// <summary>Message encoding of the wire channels.</summary>
    public const string MessagePack = "msgpack";

    public static string Panoptic(string stream) => $"/realtimeseg/{stream}/panoptic";
    public static string Meta(string stream) => $"/realtimeseg/{stream}/meta";
    public static string End(string stream) => $"/realtimeseg/{stream}/end";
    public static string Image(string stream) => $"/realtimeseg/{stream}/image";
    public static string PanopticImage(string stream) => $"/realtimeseg/{stream}/panoptic_image";
    public static string Annotations(string stream) => $"/realtimeseg/{stream}/annotations";

    /// <summary>The stream of a channel topic, or null when the topic is not one of ours.</summary>
    public static string? StreamOf(string topic, out string kind)
    {
        kind = "";
        const string Prefix = "/realtimeseg/";
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        int slash = topic.IndexOf('/', Prefix.Length);
        if (slash < 0)
        {
            return null;
        }
        kind = topic[(slash + 1)..];
        return topic[Prefix.Length..slash];
    }
}
