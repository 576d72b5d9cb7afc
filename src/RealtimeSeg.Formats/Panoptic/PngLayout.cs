using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// What a PNG's chunk list says before any pixel is decoded: size, colour type, bit depth and palette. Read here, not
/// by the codec, for two reasons: an id map needs the colour type and the palette to turn decoded pixels back into the
/// stored values (OpenCV expands palettes and gray), and a file that is not a usable id map gets an error that names
/// the file and what is wrong with it. Decoding (inflate, filters, CRCs) is left to libpng.
/// </summary>
internal readonly ref struct PngLayout
{
    /// <summary>Images larger than this many pixels are refused rather than allocated (a damaged header, most likely).</summary>
    public const long MaxPixels = 1L << 28;

    public const byte Gray = 0;
    public const byte Rgb = 2;
    public const byte Palette = 3;
    public const byte GrayAlpha = 4;
    public const byte Rgba = 6;

    private PngLayout(int width, int height, byte bitDepth, byte colorType, ReadOnlySpan<byte> palette)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        ColorType = colorType;
        PaletteRgb = palette;
    }

    public int Width { get; }
    public int Height { get; }
    public byte BitDepth { get; }

    /// <summary>The IHDR colour type: <see cref="Gray"/>, <see cref="Rgb"/>, <see cref="Palette"/>, <see cref="GrayAlpha"/> or <see cref="Rgba"/>.</summary>
    public byte ColorType { get; }

    /// <summary>The PLTE chunk's RGB triples; empty unless the image is a palette image.</summary>
    public ReadOnlySpan<byte> PaletteRgb { get; }

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Walks the chunks up to IEND and checks what an id map needs.</summary>
    /// <exception cref="InvalidDataException">Not a PNG, cut short, or a kind of PNG ids cannot be read from; the message
    /// starts with <paramref name="name"/>.</exception>
    public static PngLayout Parse(ReadOnlySpan<byte> png, string name)
    {
        if (!png.StartsWith(Signature))
        {
            Fail(name, "not a PNG file (bad signature)");
        }
        int pos = Signature.Length;
        ReadOnlySpan<byte> header = default, palette = default;
        bool haveData = false;
        while (true)
        {
            if (png.Length - pos < 12)
            {
                Fail(name, "truncated: the file ends before the IEND chunk");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            if (length > (uint)(png.Length - pos - 12))
            {
                Fail(name, $"truncated: a chunk of {length} bytes runs past the end of the file");
            }
            ReadOnlySpan<byte> type = png.Slice(pos + 4, 4);
            ReadOnlySpan<byte> data = png.Slice(pos + 8, (int)length);
            pos += 12 + (int)length;
            if (header.IsEmpty)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13)
                {
                    Fail(name, "the first chunk is not a 13-byte IHDR");
                }
                header = data;
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                palette = data;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                haveData = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }
        }
        uint width = BinaryPrimitives.ReadUInt32BigEndian(header);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        byte bitDepth = header[8], colorType = header[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue || (long)width * height > MaxPixels)
        {
            Fail(name, $"image size {width}x{height} is empty or above the {MaxPixels}-pixel limit");
        }
        if (colorType is not (Gray or Rgb or Palette or GrayAlpha or Rgba))
        {
            Fail(name, $"unknown colour type {colorType}");
        }
        if (bitDepth == 16)
        {
            // Which 8 bits of a 16-bit sample hold the id is a guess panopticapi does not make either.
            Fail(name, "16-bit PNGs are not supported: save it with 8 bits per channel");
        }
        if (!haveData)
        {
            Fail(name, "no image data (IDAT chunk)");
        }
        if (colorType == Palette && (palette.IsEmpty || palette.Length % 3 != 0))
        {
            Fail(name, "a palette image without a valid PLTE chunk");
        }
        return new PngLayout((int)width, (int)height, bitDepth, colorType, colorType == Palette ? palette : default);
    }

    [DoesNotReturn]
    public static void Fail(string name, string message) => throw new InvalidDataException($"{name}: {message}");
}
