using System.Buffers;
using System.IO.Compression;
using OpenCvSharp;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// COCO panoptic id maps as PNG: a pixel's segment id is <c>R + 256·G + 256²·B</c> (0 = void), as panopticapi's
/// <c>rgb2id</c> reads it. Files are written as 8-bit RGB. On reading, alpha is ignored, gray PNGs give the gray value
/// and palette PNGs the stored palette index (not its colour), the way PIL hands them to Python; 16-bit PNGs are
/// refused. The codec is OpenCV's libpng: chunk CRCs and the zlib checksum are verified, so a damaged file fails
/// instead of giving wrong ids.
/// </summary>
public static class PanopticIdPng
{
    /// <summary>The largest id an RGB PNG can hold (2²⁴ − 1).</summary>
    public const int MaxId = (1 << 24) - 1;

    // RGB order straight from libpng (IMREAD_COLOR_RGB, OpenCV ≥ 4.11; OpenCvSharp has no name for it yet), and never
    // rotated by an EXIF orientation: ids are data, not a photo.
    private const ImreadModes ReadMode = (ImreadModes)256 | ImreadModes.IgnoreOrientation;

    // IMWRITE_PNG_FILTER and its values (OpenCV ≥ 4.11), not in OpenCvSharp's enum.
    private const ImwriteFlags PngFilter = (ImwriteFlags)19;
    private const int PngFilterUp = 32;
    private const int PngFastFilters = 8 | 16 | 32;
    private const int PngAllFilters = 8 | 16 | 32 | 64 | 128;

    // Id maps are long runs of equal pixels and rows equal to the row above: the Up filter turns those into zeros for
    // zlib's fastest level. Measured (docs/benchmarks.md): OpenCV's default Sub filter takes 3-4x as long to encode; the
    // run-length strategy encodes as fast but its files take libpng 4x as long to decode.
    private static readonly ImageEncodingParam[] Fastest = [new(ImwriteFlags.PngCompression, 1), new(PngFilter, PngFilterUp)];

    private static readonly ImageEncodingParam[] Optimal = [new(ImwriteFlags.PngCompression, 6), new(PngFilter, PngFastFilters)];

    private static readonly ImageEncodingParam[] Smallest = [new(ImwriteFlags.PngCompression, 9), new(PngFilter, PngAllFilters)];

    private static readonly ImageEncodingParam[] Stored = [new(ImwriteFlags.PngCompression, 0), new(PngFilter, PngFilterUp)];

    public static int IdFromRgb(byte r, byte g, byte b) => r | (g << 8) | (b << 16);

    /// <summary>Reads the id map at <paramref name="path"/> into a new <see cref="IdMap"/>.</summary>
    /// <exception cref="InvalidDataException">Not a PNG ids can be read from, or a damaged one; the message names the file.</exception>
    public static IdMap Read(string path)
    {
        var map = new IdMap(0, 0);
        Read(path, map);
        return map;
    }

    /// <summary>Reads the id map at <paramref name="path"/> into <paramref name="into"/> (reset to the file's size).</summary>
    /// <exception cref="InvalidDataException">Not a PNG ids can be read from, or a damaged one; the message names the file.</exception>
    public static void Read(string path, IdMap into)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(into);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length > Array.MaxLength)
        {
            PngLayout.Fail(path, $"file of {length} bytes is too large");
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            stream.ReadExactly(buffer, 0, (int)length);
            Decode(buffer.AsSpan(0, (int)length), path, into);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes an in-memory PNG id map into <paramref name="into"/>; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">Not a PNG ids can be read from, or a damaged one.</exception>
    public static void Decode(ReadOnlySpan<byte> png, string sourceName, IdMap into)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(into);
        PngLayout layout = PngLayout.Parse(png, sourceName);
        using Mat rgb = Cv2.ImDecode(png, ReadMode);
        if (rgb.Empty() || rgb.Width != layout.Width || rgb.Height != layout.Height || rgb.Type() != MatType.CV_8UC3)
        {
            // libpng's own reason goes to stderr only; these are the causes left once the chunk layout checked out.
            PngLayout.Fail(sourceName, "damaged image data: libpng refused it (a chunk CRC mismatch, corrupt compressed data, an unknown row filter or missing rows)");
        }
        into.Reset(layout.Width, layout.Height);
        if (layout.ColorType == PngLayout.Palette)
        {
            PaletteIndices(rgb, layout.PaletteRgb, sourceName, into.Ids);
        }
        else
        {
            RgbToIds(rgb, into.Ids, gray: layout.ColorType is PngLayout.Gray or PngLayout.GrayAlpha);
        }
    }

    /// <summary>Writes <paramref name="map"/> as an RGB PNG file, replacing any file there.</summary>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxId"/>.</exception>
    public static void Write(string path, IdMap map, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(map);
        Write(path, map.Width, map.Height, map.Ids, level);
    }

    /// <summary>Writes <paramref name="ids"/> (row-major) as an RGB PNG file, replacing any file there at once (temporary name, then rename).</summary>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxId"/>.</exception>
    public static void Write(string path, int width, int height, ReadOnlySpan<int> ids, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] png = Encode(width, height, ids, level);
        // Written under a temporary name, then renamed: the file at path is always complete, even if the process is
        // killed while writing (a stray .tmp is all that can be left).
        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            file.Write(png);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes 16-bit <paramref name="ids"/> (row-major; e.g. a synthetic frame's truth) as an RGB PNG file.</summary>
    public static void Write(string path, int width, int height, ReadOnlySpan<ushort> ids, CompressionLevel level = CompressionLevel.Fastest)
    {
        int[] wide = ArrayPool<int>.Shared.Rent(ids.Length);
        try
        {
            Span<int> widened = wide.AsSpan(0, ids.Length);
            for (int i = 0; i < ids.Length; i++)
            {
                widened[i] = ids[i];
            }
            Write(path, width, height, widened, level);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(wide);
        }
    }

    /// <summary>Writes <paramref name="ids"/> (row-major) as an RGB PNG to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxId"/>.</exception>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<int> ids, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Encode(width, height, ids, level));
    }

    private static byte[] Encode(int width, int height, ReadOnlySpan<int> ids, CompressionLevel level)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (ids.Length != (long)width * height)
        {
            throw new ArgumentException($"a {width}x{height} map needs {(long)width * height} ids, got {ids.Length}", nameof(ids));
        }
        byte[] bgr = ArrayPool<byte>.Shared.Rent(ids.Length * 3);
        try
        {
            ToBgr(ids, width, bgr);
            return EncodeBgr(bgr, width, height, level);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bgr);
        }
    }

    /// <summary>OpenCV encodes BGR: B = id bits 16-23, G = bits 8-15, R = bits 0-7.</summary>
    private static unsafe void ToBgr(ReadOnlySpan<int> ids, int width, byte[] bgr)
    {
        int last = ids.Length - 1;
        fixed (byte* pixels = bgr)
        {
            // Four bytes per pixel, the fourth overwritten by the next pixel; the last pixel byte by byte so the write
            // stays inside the image.
            for (int i = 0; i < last; i++)
            {
                *(uint*)(pixels + 3 * i) = BgrOf(ids, i, width);
            }
            uint final = BgrOf(ids, last, width);
            pixels[3 * last] = (byte)final;
            pixels[3 * last + 1] = (byte)(final >> 8);
            pixels[3 * last + 2] = (byte)(final >> 16);
        }
    }

    private static uint BgrOf(ReadOnlySpan<int> ids, int index, int width)
    {
        int id = ids[index];
        if ((uint)id > MaxId)
        {
            throw new ArgumentException($"id {id} at pixel ({index % width},{index / width}) does not fit in 24-bit RGB (0…{MaxId})", nameof(ids));
        }
        return (uint)(((id >> 16) & 0xFF) | (id & 0xFF00) | ((id & 0xFF) << 16));
    }

    private static unsafe byte[] EncodeBgr(byte[] bgr, int width, int height, CompressionLevel level)
    {
        ImageEncodingParam[] parameters = level switch
        {
            CompressionLevel.NoCompression => Stored,
            CompressionLevel.Optimal => Optimal,
            CompressionLevel.SmallestSize => Smallest,
            _ => Fastest,
        };
        fixed (byte* pixels = bgr)
        {
            using Mat mat = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)pixels);
            Cv2.ImEncode(".png", mat, out byte[] png, parameters);
            return png;
        }
    }

    /// <param name="gray">The file is gray (libpng replicated it into R, G and B): the id is the gray value.</param>
    private static unsafe void RgbToIds(Mat rgb, Span<int> ids, bool gray)
    {
        int width = rgb.Width, height = rgb.Height;
        long step = rgb.Step();
        byte* data = (byte*)rgb.Data;
        for (int y = 0; y < height; y++)
        {
            byte* row = data + y * step;
            Span<int> target = ids.Slice(y * width, width);
            if (gray)
            {
                for (int x = 0; x < width; x++)
                {
                    target[x] = row[3 * x];
                }
                continue;
            }
            // Four bytes at a time (little-endian R, G, B and the next pixel's R, masked off); the row's last pixel
            // byte by byte so the read stays inside the image.
            for (int x = 0; x < width - 1; x++)
            {
                target[x] = (int)(*(uint*)(row + 3 * x) & MaxId);
            }
            byte* last = row + 3 * (width - 1);
            target[width - 1] = IdFromRgb(last[0], last[1], last[2]);
        }
    }

    /// <summary>
    /// libpng expands a palette image to its colours; the stored index is recovered by looking each colour up in the
    /// PLTE chunk. Exact unless two palette entries share a colour that the image uses: then the index is lost, and
    /// that is an error rather than a guess.
    /// </summary>
    private static unsafe void PaletteIndices(Mat rgb, ReadOnlySpan<byte> palette, string name, Span<int> ids)
    {
        const int Shared = -1;
        var indexOf = new Dictionary<int, int>(palette.Length / 3);
        for (int i = 0; i < palette.Length / 3; i++)
        {
            int colour = IdFromRgb(palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]);
            if (!indexOf.TryAdd(colour, i))
            {
                indexOf[colour] = Shared;
            }
        }
        int width = rgb.Width, height = rgb.Height;
        long step = rgb.Step();
        byte* data = (byte*)rgb.Data;
        int lastColour = -1, lastIndex = 0;
        for (int y = 0; y < height; y++)
        {
            byte* row = data + y * step;
            for (int x = 0; x < width; x++)
            {
                int colour = IdFromRgb(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
                if (colour != lastColour)
                {
                    if (!indexOf.TryGetValue(colour, out lastIndex))
                    {
                        PngLayout.Fail(name, $"pixel ({x},{y}) uses an index past the end of the {palette.Length / 3}-entry palette");
                    }
                    if (lastIndex == Shared)
                    {
                        PngLayout.Fail(name, $"pixel ({x},{y}) has colour ({colour & 0xFF},{(colour >> 8) & 0xFF},{colour >> 16}), which more than one palette entry holds, so its index cannot be recovered: save the ids as RGB");
                    }
                    lastColour = colour;
                }
                ids[y * width + x] = lastIndex;
            }
        }
    }
}
