using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>
/// What a reader accepts from a publisher it does not control. A frame message states its map size in a few bytes
/// (and rle16 can encode a huge uniform map in a few more), so without limits a 4 KB message claiming 8192×8192 would
/// make every pooled frame of a subscriber grow to 128 MB. Messages beyond these limits are rejected, and counted,
/// before anything is allocated for them. The defaults fit 8K video (8192×4320 maps, in either orientation).
/// </summary>
public sealed record MessageLimits
{
    /// <summary>The defaults: 8K maps, 16384 segments, and the message size they imply.</summary>
    public static MessageLimits Default { get; } = new();

    /// <summary>Widest map accepted (map_w).</summary>
    public int MaxMapWidth { get; init; } = 8192;

    /// <summary>Tallest map accepted (map_h).</summary>
    public int MaxMapHeight { get; init; } = 8192;

    /// <summary>Largest map accepted, map_w × map_h: 8192 × 4320 (DCI 8K) by default, 71 MB as uint16.</summary>
    public long MaxMapPixels { get; init; } = 8192L * 4320;

    /// <summary>Most segments accepted in one frame. Segment ids are uint16, so more than 65535 is never valid.</summary>
    public int MaxSegments { get; init; } = 16384;

    /// <summary>
    /// Largest message the subscriber's ZeroMQ socket accepts (ZMQ_MAXMSGSIZE); ZeroMQ drops the connection of a peer
    /// that sends more, before reading it. Null: a raw16 map of <see cref="MaxMapPixels"/>, 256 bytes per segment and
    /// 1 MiB besides (76 MB with the defaults).
    /// </summary>
    public long? MaxMessageBytes { get; init; }

    /// <summary><see cref="MaxMessageBytes"/> or its default.</summary>
    public long EffectiveMaxMessageBytes => MaxMessageBytes ?? (MaxMapPixels * sizeof(ushort)) + (MaxSegments * 256L) + (1 << 20);

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first invalid limit.</summary>
    public void Validate(string section = "limits")
    {
        if (MaxMapWidth < 1)
        {
            throw new ConfigurationException($"{section}.max_map_width: {MaxMapWidth} is invalid; expected an integer ≥ 1");
        }
        if (MaxMapHeight < 1)
        {
            throw new ConfigurationException($"{section}.max_map_height: {MaxMapHeight} is invalid; expected an integer ≥ 1");
        }
        // int.MaxValue / 2: a map is one ushort array.
        if (MaxMapPixels is < 1 or > int.MaxValue / 2)
        {
            throw new ConfigurationException($"{section}.max_map_pixels: {MaxMapPixels} is invalid; expected an integer in [1, {int.MaxValue / 2}]");
        }
        if (MaxSegments is < 1 or > ushort.MaxValue)
        {
            throw new ConfigurationException($"{section}.max_segments: {MaxSegments} is invalid; expected an integer in [1, {ushort.MaxValue}]");
        }
        if (MaxMessageBytes is { } bytes && bytes < 1024)
        {
            throw new ConfigurationException($"{section}.max_message_bytes: {bytes} is invalid; expected at least 1024");
        }
    }
}
