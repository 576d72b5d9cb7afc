namespace RealtimeSeg.Protocol;

/// <summary>
/// The map keys of schema versions 1 and 2, as UTF-8 (docs/protocol.md §3–§5). Kept in one place so the writer and
/// the reader cannot drift apart.
/// </summary>
internal static class WireKeys
{
    // Message envelope (frame and meta).
    public static ReadOnlySpan<byte> Version => "v"u8;
    public static ReadOnlySpan<byte> Type => "type"u8;
    public static ReadOnlySpan<byte> Stream => "stream"u8;
    public static ReadOnlySpan<byte> CategoryVersion => "cat_ver"u8;

    // Frame.
    public static ReadOnlySpan<byte> Sequence => "seq"u8;
    public static ReadOnlySpan<byte> UtcNs => "utc_ns"u8;
    public static ReadOnlySpan<byte> MonoNs => "mono_ns"u8;
    public static ReadOnlySpan<byte> Run => "run"u8;
    public static ReadOnlySpan<byte> MediaNs => "media_ns"u8;
    public static ReadOnlySpan<byte> StageNs => "stage_ns"u8;
    public static ReadOnlySpan<byte> Width => "w"u8;
    public static ReadOnlySpan<byte> Height => "h"u8;
    public static ReadOnlySpan<byte> MapWidth => "map_w"u8;
    public static ReadOnlySpan<byte> MapHeight => "map_h"u8;
    public static ReadOnlySpan<byte> Encoding => "enc"u8;
    public static ReadOnlySpan<byte> Map => "map"u8;
    public static ReadOnlySpan<byte> Segments => "segs"u8;

    // Segment.
    public static ReadOnlySpan<byte> Id => "id"u8;
    public static ReadOnlySpan<byte> Category => "cat"u8;
    public static ReadOnlySpan<byte> IsThing => "thing"u8;
    public static ReadOnlySpan<byte> Track => "track"u8;
    public static ReadOnlySpan<byte> Score => "score"u8;
    public static ReadOnlySpan<byte> Bbox => "bbox"u8;
    public static ReadOnlySpan<byte> Area => "area"u8;
    public static ReadOnlySpan<byte> Centroid => "centroid"u8;
    public static ReadOnlySpan<byte> Velocity => "vel"u8;
    public static ReadOnlySpan<byte> Age => "age"u8;
    public static ReadOnlySpan<byte> Flags => "flags"u8;

    // Meta.
    public static ReadOnlySpan<byte> Categories => "cats"u8;
    public static ReadOnlySpan<byte> StageNames => "stages"u8;
    public static ReadOnlySpan<byte> Name => "name"u8;
    public static ReadOnlySpan<byte> Color => "color"u8;

    // End of stream (v2).
    public static ReadOnlySpan<byte> Reason => "reason"u8;
    public static ReadOnlySpan<byte> LastSequence => "last_seq"u8;
    public static ReadOnlySpan<byte> Frames => "frames"u8;

    // Image (v2).
    public static ReadOnlySpan<byte> SourceWidth => "src_w"u8;
    public static ReadOnlySpan<byte> SourceHeight => "src_h"u8;
    public static ReadOnlySpan<byte> Format => "format"u8;
    public static ReadOnlySpan<byte> Data => "data"u8;

    // Values.
    public static ReadOnlySpan<byte> TypeEnd => "end"u8;
    public static ReadOnlySpan<byte> TypeImage => "image"u8;
    public static ReadOnlySpan<byte> FormatJpeg => "jpeg"u8;
    public static ReadOnlySpan<byte> TypeFrame => "frame"u8;
    public static ReadOnlySpan<byte> TypeMeta => "meta"u8;
    public static ReadOnlySpan<byte> EncodingRle16 => "rle16"u8;
    public static ReadOnlySpan<byte> EncodingRaw16 => "raw16"u8;
}
