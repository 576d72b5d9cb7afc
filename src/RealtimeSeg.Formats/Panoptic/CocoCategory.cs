namespace RealtimeSeg.Formats.Panoptic;

/// <summary>An entry of a COCO panoptic file's <c>categories</c> list.</summary>
/// <param name="Id">The <c>category_id</c> segments refer to.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="IsThing">Countable objects (<c>isthing</c> = 1) get instances; stuff does not.</param>
/// <param name="Color">Display colour 0xRRGGBB, or null when the file gives none.</param>
/// <param name="Supercategory">COCO's grouping, or null.</param>
public sealed record CocoCategory(int Id, string Name, bool IsThing, int? Color = null, string? Supercategory = null);
