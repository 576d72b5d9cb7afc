namespace RealtimeSeg.Formats.Panoptic;

/// <summary>An entry of a COCO panoptic file's <c>annotations</c> list: one image's PNG and its segments.</summary>
public sealed class CocoPanopticAnnotation
{
    public CocoPanopticAnnotation(CocoImageId imageId, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ImageId = imageId;
        FileName = fileName;
    }

    public CocoImageId ImageId { get; }

    /// <summary>The PNG's file name inside the segmentation folder.</summary>
    public string FileName { get; }

    public List<CocoSegmentInfo> Segments { get; } = [];
}
