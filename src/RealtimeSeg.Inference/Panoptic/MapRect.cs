namespace RealtimeSeg.Inference.Panoptic;

/// <summary>A rectangle of map pixels, lower bounds inclusive, upper bounds exclusive.</summary>
internal readonly record struct MapRect(int U0, int V0, int U1, int V1)
{
    public bool IsEmpty => U1 <= U0 || V1 <= V0;
    public int Width => U1 - U0;

    /// <summary>The map pixels whose sample points (<see cref="MapGeometry"/>) fall inside the image box [x1, x2) × [y1, y2), clamped to the image.</summary>
    public static MapRect FromImageBox(float x1, float y1, float x2, float y2, int imageWidth, int imageHeight, int divisor, int mapWidth, int mapHeight)
    {
        (int u0, int u1) = MapGeometry.Span(x1, x2, divisor, imageWidth, mapWidth);
        (int v0, int v1) = MapGeometry.Span(y1, y2, divisor, imageHeight, mapHeight);
        return new MapRect(u0, v0, u1, v1);
    }
}
