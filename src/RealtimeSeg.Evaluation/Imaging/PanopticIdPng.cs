using System.IO.Compression;

namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>
/// COCO panoptic id maps as PNG: a pixel's segment id is <c>R + 256·G + 256²·B</c> (0 = void), as panopticapi's
/// <c>rgb2id</c> reads it. Gray and palette PNGs give the stored sample (the palette index, not its colour), as
/// panopticapi sees them through PIL; alpha is ignored.
/// </summary>
public static class PanopticIdPng
{
    /// <summary>The largest id an RGB PNG can hold (2²⁴ − 1).</summary>
    public const int MaxId = (1 << 24) - 1;

    public static int IdFromRgb(byte r, byte g, byte b) => r | (g << 8) | (b << 16);

    /// <summary>Reads the id map at <paramref name="path"/> into a new <see cref="IdMap"/>.</summary>
    /// <exception cref="InvalidDataException">Not a PNG the decoder handles; the message names the file.</exception>
    public static IdMap Read(string path)
    {
        var map = new IdMap(0, 0);
        Read(path, map);
        return map;
    }

    /// <summary>Reads the id map at <paramref name="path"/> into <paramref name="into"/> (reset to the file's size).</summary>
    /// <exception cref="InvalidDataException">Not a PNG the decoder handles; the message names the file.</exception>
    public static void Read(string path, IdMap into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var sink = new IdSink(into);
        PngDecoder.DecodeFile(path, ref sink);
    }

    /// <summary>Decodes an in-memory PNG id map; <paramref name="sourceName"/> names it in error messages.</summary>
    public static void Decode(ReadOnlySpan<byte> png, string sourceName, IdMap into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var sink = new IdSink(into);
        PngDecoder.Decode(png, sourceName, ref sink);
    }

    /// <summary>Writes <paramref name="map"/> as an RGB PNG file.</summary>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxId"/>.</exception>
    public static void Write(string path, IdMap map, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(map);
        Write(path, map.Width, map.Height, map.Ids, level);
    }

    /// <summary>Writes <paramref name="ids"/> (row-major) as an RGB PNG file, replacing any file there.</summary>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxId"/>.</exception>
    public static void Write(string path, int width, int height, ReadOnlySpan<int> ids, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckIds(width, height, ids);
        // Unbuffered: the encoder writes whole chunks.
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var source = new IdRows(ids, width);
        PngEncoder.Write(file, width, height, PngColorType.Rgb, ref source, level);
    }

    /// <summary>Writes <paramref name="ids"/> (row-major) as an RGB PNG to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxId"/>.</exception>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<int> ids, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckIds(width, height, ids);
        var source = new IdRows(ids, width);
        PngEncoder.Write(output, width, height, PngColorType.Rgb, ref source, level);
    }

    private static void CheckIds(int width, int height, ReadOnlySpan<int> ids)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (ids.Length != (long)width * height)
        {
            throw new ArgumentException($"a {width}x{height} map needs {(long)width * height} ids, got {ids.Length}", nameof(ids));
        }
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] > MaxId)
            {
                throw new ArgumentException($"id {ids[i]} at pixel ({i % width},{i / width}) does not fit in 24-bit RGB (0…{MaxId})", nameof(ids));
            }
        }
    }

    private readonly ref struct IdRows(ReadOnlySpan<int> ids, int width) : IPngRowSource
    {
        private readonly ReadOnlySpan<int> _ids = ids;

        public void GetRow(int y, Span<byte> row)
        {
            ReadOnlySpan<int> source = _ids.Slice(y * width, width);
            for (int x = 0; x < source.Length; x++)
            {
                int id = source[x];
                row[3 * x] = (byte)id;
                row[3 * x + 1] = (byte)(id >> 8);
                row[3 * x + 2] = (byte)(id >> 16);
            }
        }
    }

    private readonly struct IdSink(IdMap map) : IPngRowSink
    {
        public void Begin(in PngHeader header, ReadOnlySpan<byte> palette) => map.Reset(header.Width, header.Height);

        public void Row(in PngHeader header, int y, ReadOnlySpan<byte> raw)
        {
            Span<int> ids = map.Ids.Slice(y * header.Width, header.Width);
            switch (header.ColorType)
            {
                case PngColorType.Rgb:
                case PngColorType.Rgba:
                    int c = header.Channels;
                    for (int x = 0; x < ids.Length; x++)
                    {
                        int k = x * c;
                        ids[x] = IdFromRgb(raw[k], raw[k + 1], raw[k + 2]);
                    }
                    break;
                case PngColorType.GrayAlpha:
                    for (int x = 0; x < ids.Length; x++)
                    {
                        ids[x] = raw[2 * x];
                    }
                    break;
                default:
                    // Gray or palette at 1…8 bits: the stored value, unscaled.
                    int depth = header.BitDepth;
                    int perByte = 8 / depth;
                    int mask = (1 << depth) - 1;
                    for (int x = 0; x < ids.Length; x++)
                    {
                        int shift = 8 - depth * (x % perByte + 1);
                        ids[x] = (raw[x / perByte] >> shift) & mask;
                    }
                    break;
            }
        }
    }
}
