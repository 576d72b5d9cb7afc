namespace RealtimeSeg.Formats.Panoptic;

/// <summary>An entry of a COCO file's <c>images</c> list.</summary>
/// <param name="Id">The <c>id</c> annotations refer to as <c>image_id</c>.</param>
/// <param name="FileName">The image's file name (e.g. <c>000042.png</c>); the panoptic PNG has the same stem.</param>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
public sealed record CocoImage(CocoImageId Id, string FileName, int Width, int Height);
