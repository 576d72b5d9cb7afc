using System.Buffers.Binary;
using System.IO.Compression;

namespace RealtimeSeg.Protocol.Tests.Support;

/// <summary>
/// Decodes 8-bit RGB, non-interlaced PNG files — the format of the COCO panoptic ground-truth maps — so the
/// protocol tests can use that real data without an image library (only Capture/Inference reference OpenCV).
/// </summary>
public static class PngRgbDecoder
{
    public static byte[] Decode(string path, out int width, out int height)
    {
        byte[] file = File.ReadAllBytes(path);
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!file.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException($"{path} is not a PNG file");
        }
        width = height = 0;
        using var idat = new MemoryStream();
        int pos = 8;
        while (pos < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            ReadOnlySpan<byte> data = file.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 2 || data[12] != 0)
                {
                    throw new InvalidDataException($"{path}: only 8-bit RGB non-interlaced PNG is supported");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
            pos += 12 + length;
        }

        const int bpp = 3;
        int stride = width * bpp;
        byte[] raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.ReadExactly(raw);
        }
        byte[] rgb = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            ReadOnlySpan<byte> src = raw.AsSpan(y * (stride + 1) + 1, stride);
            Span<byte> dst = rgb.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> up = y == 0 ? new byte[stride] : rgb.AsSpan((y - 1) * stride, stride);
            for (int x = 0; x < stride; x++)
            {
                int a = x >= bpp ? dst[x - bpp] : 0;
                int b = up[x];
                int c = x >= bpp ? up[x - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{path}: unknown PNG filter {filter}"),
                };
                dst[x] = (byte)(src[x] + predictor);
            }
        }
        return rgb;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
