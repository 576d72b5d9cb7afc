using System.Diagnostics;

namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>The IHDR facts a decoder needs, with the derived scanline layout.</summary>
internal readonly struct PngHeader
{
    public PngHeader(int width, int height, int bitDepth, PngColorType colorType)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        ColorType = colorType;
        Channels = ChannelsOf(colorType);
        long bits = (long)width * Channels * bitDepth;
        RowBytes = checked((int)((bits + 7) / 8));
        FilterUnit = Math.Max(1, Channels * bitDepth / 8);
        Debug.Assert(Channels is >= 1 and <= 4 && bitDepth is 1 or 2 or 4 or 8);
    }

    public int Width { get; }
    public int Height { get; }
    public int BitDepth { get; }
    public PngColorType ColorType { get; }
    public int Channels { get; }

    /// <summary>Bytes of one scanline without its filter-type byte.</summary>
    public int RowBytes { get; }

    /// <summary>The filters' "bpp": bytes per complete pixel, rounded up to 1.</summary>
    public int FilterUnit { get; }

    public static int ChannelsOf(PngColorType colorType) => colorType switch
    {
        PngColorType.Gray => 1,
        PngColorType.Rgb => 3,
        PngColorType.Palette => 1,
        PngColorType.GrayAlpha => 2,
        PngColorType.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(colorType), colorType, "not a PNG colour type"),
    };

    /// <summary>
    /// One byte per sample from a raw scanline. Below 8 bits, gray is scaled to 0…255 (as PIL and libpng's expansion
    /// do) and palette indices stay indices.
    /// </summary>
    public void UnpackRow(ReadOnlySpan<byte> raw, Span<byte> samples)
    {
        int count = Width * Channels;
        Debug.Assert(raw.Length == RowBytes && samples.Length >= count);
        if (BitDepth == 8)
        {
            raw[..count].CopyTo(samples);
            return;
        }
        int perByte = 8 / BitDepth;
        int mask = (1 << BitDepth) - 1;
        int scale = ColorType == PngColorType.Palette ? 1 : 255 / mask;
        for (int i = 0; i < count; i++)
        {
            int shift = 8 - BitDepth * (i % perByte + 1);
            samples[i] = (byte)(((raw[i / perByte] >> shift) & mask) * scale);
        }
    }
}
