namespace RealtimeSeg.Recording.Foxglove;

/// <summary>An sRGB colour with alpha, 0-255 per channel (Foxglove's Color message carries 0-1 doubles).</summary>
public readonly record struct AnnotationColor(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>From 0xRRGGBB, as <see cref="Core.Palette.ColorFor"/> returns it.</summary>
    public static AnnotationColor FromRgb(int rgb, byte alpha = 255) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb, alpha);
}
