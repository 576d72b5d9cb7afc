namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>
/// A decoded 8-bit-per-sample image: <see cref="Samples"/> holds <see cref="Channels"/> bytes per pixel, rows packed
/// without padding. Palette images keep their indices (one byte per pixel) and carry <see cref="Palette"/> (RGB triples).
/// </summary>
public sealed class PngImage
{
    public PngImage(int width, int height, PngColorType colorType, byte[] samples, byte[]? palette = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(samples);
        Channels = PngHeader.ChannelsOf(colorType);
        long needed = (long)width * height * Channels;
        if (samples.Length < needed)
        {
            throw new ArgumentException($"{width}x{height} {colorType} needs {needed} bytes, got {samples.Length}", nameof(samples));
        }
        if (colorType == PngColorType.Palette && (palette is null || palette.Length % 3 != 0 || palette.Length == 0))
        {
            throw new ArgumentException("a palette image needs a palette of RGB triples", nameof(palette));
        }
        Width = width;
        Height = height;
        ColorType = colorType;
        Samples = samples;
        Palette = palette;
    }

    public int Width { get; }
    public int Height { get; }
    public PngColorType ColorType { get; }
    public int Channels { get; }
    public byte[] Samples { get; }
    public byte[]? Palette { get; }

    /// <summary>The image as packed RGB (palette looked up, gray replicated, alpha dropped).</summary>
    /// <exception cref="InvalidDataException">A palette index lies past the end of the palette.</exception>
    public byte[] ToRgb()
    {
        int n = Width * Height;
        var rgb = new byte[n * 3];
        ReadOnlySpan<byte> s = Samples;
        switch (ColorType)
        {
            case PngColorType.Rgb:
                s[..(n * 3)].CopyTo(rgb);
                break;
            case PngColorType.Rgba:
                for (int i = 0; i < n; i++)
                {
                    rgb[3 * i] = s[4 * i];
                    rgb[3 * i + 1] = s[4 * i + 1];
                    rgb[3 * i + 2] = s[4 * i + 2];
                }
                break;
            case PngColorType.Gray:
            case PngColorType.GrayAlpha:
                for (int i = 0; i < n; i++)
                {
                    byte g = s[i * Channels];
                    rgb[3 * i] = g;
                    rgb[3 * i + 1] = g;
                    rgb[3 * i + 2] = g;
                }
                break;
            case PngColorType.Palette:
                byte[] palette = Palette!;
                int entries = palette.Length / 3;
                for (int i = 0; i < n; i++)
                {
                    int k = s[i];
                    if (k >= entries)
                    {
                        throw new InvalidDataException($"pixel {i % Width},{i / Width} uses palette index {k} but the palette has {entries} entries");
                    }
                    rgb[3 * i] = palette[3 * k];
                    rgb[3 * i + 1] = palette[3 * k + 1];
                    rgb[3 * i + 2] = palette[3 * k + 2];
                }
                break;
        }
        return rgb;
    }
}
