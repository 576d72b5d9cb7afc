namespace RealtimeSeg.Core;

/// <summary>
/// A per-pixel class map from a semantic ("stuff") model at the model's resolution, with how it maps onto the
/// source image. Reused across frames; <see cref="NoClass"/> marks pixels the model left unlabelled.
/// Map pixel (u, v) covers image point (OriginX + (u + 0.5) * CellWidth, OriginY + (v + 0.5) * CellHeight).
/// </summary>
public sealed class SemanticMap
{
    public const byte NoClass = byte.MaxValue;

    private byte[] _classes = [];

    public int Width { get; private set; }
    public int Height { get; private set; }
    public float OriginX { get; private set; }
    public float OriginY { get; private set; }
    public float CellWidth { get; private set; } = 1f;
    public float CellHeight { get; private set; } = 1f;

    public Span<byte> Classes => _classes.AsSpan(0, Width * Height);

    public void Reset(int width, int height, float originX, float originY, float cellWidth, float cellHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellHeight);
        if (_classes.Length < width * height)
        {
            _classes = new byte[width * height];
        }
        (Width, Height, OriginX, OriginY, CellWidth, CellHeight) = (width, height, originX, originY, cellWidth, cellHeight);
    }
}
