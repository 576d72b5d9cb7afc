using System.Text;

namespace RealtimeSeg.Protocol;

/// <summary>
/// Constants of the rseg wire protocol (docs/protocol.md) and the ZeroMQ topic scheme. Transport framing is a
/// two-part ZeroMQ message [topic, payload]; subscribing to <see cref="TopicRoot"/> receives every stream's
/// frames, category tables, images and end-of-stream messages.
/// </summary>
public static class WireFormat
{
    /// <summary>The schema version written in every message's <c>v</c> field (2 since run ids, media time, end and image messages).</summary>
    public const int SchemaVersion = 2;

    /// <summary>The oldest version a reader accepts: v1 frames lack <c>run</c> and <c>media_ns</c> (read as "" and -1).</summary>
    public const int MinSchemaVersion = 1;

    public const string TopicRoot = "rseg/";
    public const string FrameTopicPrefix = "rseg/frame/";
    public const string MetaTopicPrefix = "rseg/meta/";
    public const string ImageTopicPrefix = "rseg/image/";
    public const string EndTopicPrefix = "rseg/end/";

    /// <summary>Longest stream name, in characters; stream names are part of topics, so they stay short and plain.</summary>
    public const int MaxStreamNameLength = 64;

    public static string FrameTopic(string streamName)
    {
        ThrowIfInvalidStreamName(streamName);
        return FrameTopicPrefix + streamName;
    }

    public static string MetaTopic(string streamName)
    {
        ThrowIfInvalidStreamName(streamName);
        return MetaTopicPrefix + streamName;
    }

    public static string ImageTopic(string streamName)
    {
        ThrowIfInvalidStreamName(streamName);
        return ImageTopicPrefix + streamName;
    }

    public static string EndTopic(string streamName)
    {
        ThrowIfInvalidStreamName(streamName);
        return EndTopicPrefix + streamName;
    }

    /// <summary>
    /// Stream names are 1–64 characters of [A-Za-z0-9_.-]: they end up in ZeroMQ topics (no '/' so a topic
    /// splits unambiguously) and in file names of recordings.
    /// </summary>
    public static bool IsValidStreamName(string? streamName)
    {
        if (string.IsNullOrEmpty(streamName) || streamName.Length > MaxStreamNameLength)
        {
            return false;
        }
        foreach (char c in streamName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    public static void ThrowIfInvalidStreamName(string? streamName)
    {
        if (!IsValidStreamName(streamName))
        {
            throw new ArgumentException(
                $"stream name '{streamName}' is invalid: use 1–{MaxStreamNameLength} characters of A-Z a-z 0-9 _ . -",
                nameof(streamName));
        }
    }

    /// <summary>
    /// Splits a received topic into its kind and stream name (UTF-8 bytes, a slice of <paramref name="topic"/>).
    /// Returns false for topics outside the protocol, which a subscriber ignores.
    /// </summary>
    public static bool TryParseTopic(ReadOnlySpan<byte> topic, out WireMessageKind kind, out ReadOnlySpan<byte> streamName)
    {
        if (topic.StartsWith("rseg/frame/"u8))
        {
            kind = WireMessageKind.Frame;
            streamName = topic["rseg/frame/"u8.Length..];
            return !streamName.IsEmpty;
        }
        if (topic.StartsWith("rseg/meta/"u8))
        {
            kind = WireMessageKind.Meta;
            streamName = topic["rseg/meta/"u8.Length..];
            return !streamName.IsEmpty;
        }
        if (topic.StartsWith("rseg/image/"u8))
        {
            kind = WireMessageKind.Image;
            streamName = topic["rseg/image/"u8.Length..];
            return !streamName.IsEmpty;
        }
        if (topic.StartsWith("rseg/end/"u8))
        {
            kind = WireMessageKind.End;
            streamName = topic["rseg/end/"u8.Length..];
            return !streamName.IsEmpty;
        }
        kind = default;
        streamName = default;
        return false;
    }

    internal static string MapEncodingName(MapEncoding encoding) => encoding switch
    {
        MapEncoding.Rle16 => "rle16",
        MapEncoding.Raw16 => "raw16",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown map encoding"),
    };

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
