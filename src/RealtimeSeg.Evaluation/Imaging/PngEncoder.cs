using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>
/// Writes 8-bit RGB PNGs (non-interlaced). A scanline equal to the one above is filtered Up (all zeros); any other
/// gets Sub or Up, whichever output has the smaller sum of absolute values (libpng's heuristic, over the two filters
/// that turn the flat regions of id maps into runs of zeros; Average and Paeth cost more and gain little there).
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Writes <paramref name="rgb"/> (packed rows, 3 bytes per pixel) as a PNG file, replacing any file there.</summary>
    public static void WriteRgb(string path, int width, int height, ReadOnlySpan<byte> rgb, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Unbuffered: the encoder writes whole chunks, so a FileStream buffer would only add a 64 KiB copy (and allocation).
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        WriteRgb(file, width, height, rgb, level);
    }

    /// <summary>Writes <paramref name="rgb"/> (packed rows, 3 bytes per pixel) as a PNG to <paramref name="output"/>.</summary>
    public static void WriteRgb(Stream output, int width, int height, ReadOnlySpan<byte> rgb, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long needed = (long)width * height * 3;
        if (rgb.Length != needed)
        {
            throw new ArgumentException($"{width}x{height} RGB needs {needed} bytes, got {rgb.Length}", nameof(rgb));
        }
        var source = new PackedRows(rgb, width * 3);
        Write(output, width, height, PngColorType.Rgb, ref source, level);
    }

    internal static void Write<TSource>(Stream output, int width, int height, PngColorType colorType, ref TSource source, CompressionLevel level)
        where TSource : IPngRowSource, allows ref struct
    {
        var header = new PngHeader(width, height, 8, colorType);
        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)height);
        ihdr[8] = 8;
        ihdr[9] = (byte)colorType;
        ihdr[10] = 0;
        ihdr[11] = 0;
        ihdr[12] = 0;
        IdatChunkStream.WriteChunk(output, "IHDR"u8, ihdr);

        int n = header.RowBytes;
        byte[] rows = ArrayPool<byte>.Shared.Rent(2 * n);
        byte[] lines = ArrayPool<byte>.Shared.Rent(2 * (n + 1));
        try
        {
            Span<byte> current = rows.AsSpan(0, n);
            Span<byte> prior = rows.AsSpan(n, n);
            Span<byte> best = lines.AsSpan(0, n + 1);
            Span<byte> trial = lines.AsSpan(n + 1, n + 1);
            prior.Clear();
            using (var idat = new IdatChunkStream(output))
            using (var zlib = new ZLibStream(idat, level, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    source.GetRow(y, current);
                    if (y > 0 && current.SequenceEqual(prior))
                    {
                        best[0] = PngFilter.Up;
                        best[1..].Clear();
                    }
                    else
                    {
                        best[0] = PngFilter.Sub;
                        PngFilter.ApplySub(current, header.FilterUnit, best[1..]);
                        if (y > 0)
                        {
                            trial[0] = PngFilter.Up;
                            PngFilter.ApplyUp(current, prior, trial[1..]);
                            if (PngFilter.Cost(trial[1..]) < PngFilter.Cost(best[1..]))
                            {
                                Span<byte> swap = best;
                                best = trial;
                                trial = swap;
                            }
                        }
                    }
                    zlib.Write(best);
                    current.CopyTo(prior);
                }
            }
            IdatChunkStream.WriteChunk(output, "IEND"u8, []);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lines);
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    private readonly ref struct PackedRows(ReadOnlySpan<byte> pixels, int rowBytes) : IPngRowSource
    {
        private readonly ReadOnlySpan<byte> _pixels = pixels;

        public void GetRow(int y, Span<byte> row) => _pixels.Slice(y * rowBytes, rowBytes).CopyTo(row);
    }
}
