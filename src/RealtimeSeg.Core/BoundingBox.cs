using System.Runtime.CompilerServices;

namespace RealtimeSeg.Core;

/// <summary>An axis-aligned box in pixel coordinates, corners inclusive-exclusive (x1 ≤ x &lt; x2).</summary>
public readonly record struct BoundingBox(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float CenterX => (X1 + X2) * 0.5f;
    public float CenterY => (Y1 + Y2) * 0.5f;

    /// <summary>Area; zero for degenerate boxes rather than negative.</summary>
    public float Area => MathF.Max(0f, X2 - X1) * MathF.Max(0f, Y2 - Y1);

    public static BoundingBox FromCenter(float cx, float cy, float w, float h)
        => new(cx - w * 0.5f, cy - h * 0.5f, cx + w * 0.5f, cy + h * 0.5f);

    public static BoundingBox FromXywh(float x, float y, float w, float h) => new(x, y, x + w, y + h);

    public BoundingBox ClampTo(float width, float height)
        => new(Math.Clamp(X1, 0f, width), Math.Clamp(Y1, 0f, height), Math.Clamp(X2, 0f, width), Math.Clamp(Y2, 0f, height));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IntersectionArea(in BoundingBox a, in BoundingBox b)
    {
        float w = MathF.Min(a.X2, b.X2) - MathF.Max(a.X1, b.X1);
        float h = MathF.Min(a.Y2, b.Y2) - MathF.Max(a.Y1, b.Y1);
        return w <= 0f || h <= 0f ? 0f : w * h;
    }

    /// <summary>Intersection over union; 0 when both boxes are empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IoU(in BoundingBox a, in BoundingBox b)
    {
        float inter = IntersectionArea(a, b);
        float union = a.Area + b.Area - inter;
        return union <= 0f ? 0f : inter / union;
    }
}
