namespace RealtimeSeg.Core;

/// <summary>
/// Where one instance's soft mask lives in a <see cref="DetectionSet"/>'s mask arena and how its cells map
/// to image pixels. Masks are kept at the model's own (coarse) resolution and only over the instance's box;
/// consumers sample them bilinearly at whatever resolution they need, so no full-image mask is ever made.
/// Cell (i, j) covers image point (OriginX + (i + 0.5) * CellWidth, OriginY + (j + 0.5) * CellHeight).
/// </summary>
/// <param name="Offset">Index of cell (0, 0) in the arena; rows are <paramref name="Width"/> floats apart.</param>
/// <param name="Width">Cells per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="OriginX">Image x of the grid's left edge.</param>
/// <param name="OriginY">Image y of the grid's top edge.</param>
/// <param name="CellWidth">Image pixels per cell, horizontally.</param>
/// <param name="CellHeight">Image pixels per cell, vertically.</param>
public readonly record struct MaskGrid(int Offset, int Width, int Height, float OriginX, float OriginY, float CellWidth, float CellHeight)
{
    public int CellCount => Width * Height;
}
