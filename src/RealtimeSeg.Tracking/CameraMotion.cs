namespace RealtimeSeg.Tracking;

/// <summary>
/// A global 2×3 affine image transform from the previous frame to the current one, <c>x' = M00 x + M01 y + M02</c>,
/// <c>y' = M10 x + M11 y + M12</c>: the camera's own motion, estimated outside the tracker (from the pixels, which the
/// tracker never sees) and handed to <see cref="ByteTracker.ApplyCameraMotion"/> (BoT-SORT's GMC).
/// </summary>
public readonly record struct CameraMotion(float M00, float M01, float M02, float M10, float M11, float M12)
{
    /// <summary>No motion.</summary>
    public static CameraMotion Identity => new(1f, 0f, 0f, 0f, 1f, 0f);

    /// <summary>A pure shift by (<paramref name="dx"/>, <paramref name="dy"/>) pixels.</summary>
    public static CameraMotion Translation(float dx, float dy) => new(1f, 0f, dx, 0f, 1f, dy);

    /// <summary>Whether this is exactly <see cref="Identity"/>.</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>The linear part's scale, √|det|: how much box sizes grow (1 for a pure rotation or shift).</summary>
    public float Scale => MathF.Sqrt(MathF.Abs((M00 * M11) - (M01 * M10)));

    /// <summary>Whether every coefficient is finite.</summary>
    public bool IsFinite => float.IsFinite(M00) && float.IsFinite(M01) && float.IsFinite(M02) && float.IsFinite(M10) && float.IsFinite(M11) && float.IsFinite(M12);

    /// <summary>The point moved by the whole transform.</summary>
    public (float X, float Y) Apply(float x, float y) => ((M00 * x) + (M01 * y) + M02, (M10 * x) + (M11 * y) + M12);

    /// <summary>A vector (a velocity) moved by the linear part only.</summary>
    public (double X, double Y) Rotate(double x, double y) => ((M00 * x) + (M01 * y), (M10 * x) + (M11 * y));
}
