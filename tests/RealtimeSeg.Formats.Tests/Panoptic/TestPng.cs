using System.Buffers.Binary;
using System.IO.Compression;

namespace RealtimeSeg.Formats.Tests.Panoptic;

/// <summary>
/// Builds PNG files byte by byte for reader tests, independently of the code under test: its own forward filters,
/// its own bitwise CRC, a chosen filter per row, Adam7 interlacing, IDAT split at chosen sizes, and any header values
/// (also invalid ones) — files no encoder would write.
/// </summary>
internal static class TestPng
{
    public static byte[] Build(int width, int height, byte bitDepth, byte colorType, byte[][] rawRows, byte[] filters,
        byte interlace = 0, byte[]? palette = null, int idatChunkSize = int.MaxValue, int channels = 0)
    {
        if (channels == 0)
        {
            channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 1 };
        }
        int bpp = Math.Max(1, channels * bitDepth / 8);
        using var raw = new MemoryStream();
        int row = 0;
        foreach (byte[][] pass in interlace == 1 ? Adam7Passes(width, rawRows, bpp) : [rawRows])
        {
            // Each interlace pass is a small image of its own: its first row is filtered against zeros.
            byte[] prior = new byte[pass[0].Length];
            foreach (byte[] scanline in pass)
            {
                byte filter = filters[row++ % filters.Length];
                raw.WriteByte(filter);
                raw.Write(Filter(filter, scanline, prior, bpp));
                prior = scanline;
            }
        }
        byte[] compressed;
        using (var packed = new MemoryStream())
        {
            using (var z = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(raw.ToArray());
            }
            compressed = packed.ToArray();
        }

        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        ihdr[12] = interlace;
        Chunk(png, "IHDR", ihdr);
        if (palette is not null)
        {
            Chunk(png, "PLTE", palette);
        }
        Chunk(png, "tEXt", "Comment\0made by a test"u8.ToArray());
        for (int offset = 0; offset < compressed.Length; offset += idatChunkSize)
        {
            Chunk(png, "IDAT", compressed.AsSpan(offset, Math.Min(idatChunkSize, compressed.Length - offset)).ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// The seven Adam7 sub-images of 8-bit rows (start and step per pass, from the PNG specification), empty passes left
    /// out as the specification requires.
    /// </summary>
    private static List<byte[][]> Adam7Passes(int width, byte[][] rows, int bpp)
    {
        ReadOnlySpan<(int X0, int Y0, int Dx, int Dy)> passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        var result = new List<byte[][]>();
        foreach ((int x0, int y0, int dx, int dy) in passes)
        {
            int columns = (width - x0 + dx - 1) / dx;
            var passRows = new List<byte[]>();
            for (int y = y0; y < rows.Length && columns > 0; y += dy)
            {
                var scanline = new byte[columns * bpp];
                for (int c = 0; c < columns; c++)
                {
                    rows[y].AsSpan((x0 + c * dx) * bpp, bpp).CopyTo(scanline.AsSpan(c * bpp));
                }
                passRows.Add(scanline);
            }
            if (passRows.Count > 0)
            {
                result.Add([.. passRows]);
            }
        }
        return result;
    }

    public static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        for (int i = 0; i < 4; i++)
        {
            head[4 + i] = (byte)type[i];
        }
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, BitwiseCrc([.. head.AsSpan(4), .. data]));
        s.Write(crc);
    }

    /// <summary>CRC-32 computed bit by bit (no table), as the PNG specification's sample code defines it.</summary>
    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
            }
        }
        return ~c;
    }

    private static byte[] Filter(byte type, byte[] row, byte[] prior, int bpp)
    {
        var o = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => 0,
            };
            o[i] = unchecked((byte)(row[i] - predictor));
        }
        return o;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Deterministic pixels with smooth and noisy parts, so every filter has work to do.</summary>
    public static byte[][] Rows(int rowBytes, int height, int seed)
    {
        var random = new Random(seed);
        var rows = new byte[height][];
        for (int y = 0; y < height; y++)
        {
            rows[y] = new byte[rowBytes];
            for (int i = 0; i < rowBytes; i++)
            {
                rows[y][i] = (byte)(i % 3 == 0 ? random.Next(256) : (i * 7 + y * 13) & 0xFF);
            }
        }
        return rows;
    }

    public static byte[] Concat(byte[][] rows) => [.. rows.SelectMany(r => r)];
}
