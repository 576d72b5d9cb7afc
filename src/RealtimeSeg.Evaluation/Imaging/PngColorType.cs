namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>PNG colour types (the IHDR byte values).</summary>
public enum PngColorType : byte
{
    Gray = 0,
    Rgb = 2,
    Palette = 3,
    GrayAlpha = 4,
    Rgba = 6,
}
