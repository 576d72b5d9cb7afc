namespace RealtimeSeg.Inference.Panoptic;

/// <summary>
/// Where a map pixel samples the image. Map pixel u covers image [u·d, (u + 1)·d); it samples at the centre of the
/// part of that span inside the image: (u + 0.5)·d, except for a last pixel that reaches past the image edge
/// (image size not a multiple of d), which samples at the middle of its in-image part so it is not left void.
/// </summary>
internal static class MapGeometry
{
    public static float SampleCoord(int index, int divisor, int imageExtent)
    {
        int start = index * divisor;
        return start + (Math.Min(start + divisor, imageExtent) - start) * 0.5f;
    }

    /// <summary>
    /// The map indices [lo, hi) whose sample coordinate lies in [a, b) after clamping the span to the image.
    /// </summary>
    public static (int Lo, int Hi) Span(float a, float b, int divisor, int imageExtent, int mapExtent)
    {
        a = Math.Clamp(a, 0f, imageExtent);
        b = Math.Clamp(b, 0f, imageExtent);
        float inv = 1f / divisor;
        // For whole pixels: (u + 0.5)·d ≥ a ⇔ u ≥ a/d − 0.5, and (u + 0.5)·d < b ⇔ u < b/d − 0.5.
        int lo = Math.Clamp((int)MathF.Ceiling(a * inv - 0.5f), 0, mapExtent);
        int hi = Math.Clamp((int)MathF.Ceiling(b * inv - 0.5f), 0, mapExtent);
        int last = mapExtent - 1;
        if (last >= 0 && mapExtent * divisor > imageExtent)
        {
            // The last pixel is partial: its sample sits left of (last + 0.5)·d, so redo its two tests.
            float s = SampleCoord(last, divisor, imageExtent);
            if (lo >= last)
            {
                lo = s >= a ? Math.Min(lo, last) : mapExtent;
            }
            if (hi >= last)
            {
                hi = s < b ? mapExtent : last;
            }
        }
        return (lo, Math.Max(lo, hi));
    }

    /// <summary>Half of how far the last map pixel reaches past the image: how far its sample sits before its full-pixel centre.</summary>
    public static float LastSampleShift(int divisor, int imageExtent, int mapExtent) => (mapExtent * divisor - imageExtent) * 0.5f;
}
