namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// One <c>segments_info</c> entry: what the pixels with <see cref="Id"/> in the annotation's PNG are.
/// <see cref="TrackId"/> is this project's extension (<c>track_id</c>): the identity of a thing over a video, which
/// COCO's per-image ids do not carry. Readers that do not know it ignore it.
/// </summary>
public sealed record CocoSegmentInfo
{
    /// <summary>The segment's id in the PNG (<c>R + 256·G + 256²·B</c>); 0 is void and never a segment.</summary>
    public required int Id { get; init; }

    public required int CategoryId { get; init; }

    /// <summary>A crowd region (<c>iscrowd</c> = 1): a group of things labelled as one, never matched nor missed.</summary>
    public bool IsCrowd { get; init; }

    /// <summary>Bounding box [x, y, width, height] in pixels.</summary>
    public double BboxX { get; init; }

    public double BboxY { get; init; }

    public double BboxWidth { get; init; }

    public double BboxHeight { get; init; }

    /// <summary>Pixel count. panopticapi trusts the ground truth's value and recounts predictions from the PNG.</summary>
    public long Area { get; init; }

    /// <summary>Persistent identity over a sequence (<c>track_id</c>), or null when the file has none.</summary>
    public int? TrackId { get; init; }
}
