using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;

namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>
/// Decodes non-interlaced PNGs with 8 bits per sample (gray, gray+alpha, RGB, RGBA) and gray or palette images of
/// 1, 2, 4 or 8 bits; all five scanline filters. Chunk CRCs are checked. Interlaced and 16-bit images, unknown
/// critical chunks and damaged files fail with an <see cref="InvalidDataException"/> naming the file. Ancillary chunks
/// (tRNS, gAMA, text…) are skipped: colours are returned as stored.
/// </summary>
public static class PngDecoder
{
    /// <summary>Images larger than this many pixels are refused rather than allocated (a damaged header, most likely).</summary>
    public const long MaxPixels = 1L << 28;

    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Reads and decodes the PNG file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a PNG this decoder handles; the message names the file and why.</exception>
    public static PngImage Read(string path)
    {
        var sink = new ImageSink();
        DecodeFile(path, ref sink);
        return sink.Image!;
    }

    /// <summary>Decodes a PNG held in memory; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">Not a PNG this decoder handles.</exception>
    public static PngImage Decode(ReadOnlySpan<byte> png, string sourceName)
    {
        var sink = new ImageSink();
        Decode(png, sourceName, ref sink);
        return sink.Image!;
    }

    internal static void DecodeFile<TSink>(string path, ref TSink sink)
        where TSink : struct, IPngRowSink
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length > Array.MaxLength)
        {
            Fail(path, $"file of {length} bytes is too large");
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            stream.ReadExactly(buffer, 0, (int)length);
            Decode(buffer.AsSpan(0, (int)length), path, ref sink);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static void Decode<TSink>(ReadOnlySpan<byte> png, string name, ref TSink sink)
        where TSink : struct, IPngRowSink
    {
        if (!png.StartsWith(Signature))
        {
            Fail(name, "not a PNG file (bad signature)");
        }

        PngHeader header = default;
        bool haveHeader = false, haveEnd = false;
        ReadOnlySpan<byte> palette = default;
        long idatBytes = 0;
        int pos = Signature.Length;
        while (!haveEnd)
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
            ReadOnlySpan<byte> typeAndData = png.Slice(pos + 4, 4 + (int)length);
            ReadOnlySpan<byte> type = typeAndData[..4];
            ReadOnlySpan<byte> data = typeAndData[4..];
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]);
            if (Crc32.Compute(typeAndData) != storedCrc)
            {
                Fail(name, $"CRC mismatch in chunk '{ChunkName(type)}' at byte {pos}: the file is damaged");
            }
            pos += 12 + (int)length;

            if (!haveHeader)
            {
                if (!type.SequenceEqual("IHDR"u8))
                {
                    Fail(name, $"the first chunk is '{ChunkName(type)}', not IHDR");
                }
                header = ParseHeader(data, name);
                haveHeader = true;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                idatBytes += length;
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                if (length == 0 || length % 3 != 0 || length > 256 * 3)
                {
                    Fail(name, $"PLTE chunk of {length} bytes is not 1…256 RGB triples");
                }
                palette = data;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                haveEnd = true;
            }
            else if (type.SequenceEqual("IHDR"u8))
            {
                Fail(name, "a second IHDR chunk");
            }
            else if ((type[0] & 0x20) == 0)
            {
                Fail(name, $"unknown critical chunk '{ChunkName(type)}'");
            }
        }
        if (idatBytes == 0)
        {
            Fail(name, "no image data (IDAT chunk)");
        }
        if (header.ColorType == PngColorType.Palette && palette.IsEmpty)
        {
            Fail(name, "a palette image without a PLTE chunk");
        }
        if (idatBytes > Array.MaxLength)
        {
            Fail(name, $"{idatBytes} bytes of image data is too large");
        }

        byte[] compressed = ArrayPool<byte>.Shared.Rent((int)idatBytes);
        byte[] line = ArrayPool<byte>.Shared.Rent(header.RowBytes + 1);
        byte[] prior = ArrayPool<byte>.Shared.Rent(header.RowBytes);
        try
        {
            int filled = CollectImageData(png, compressed);
            sink.Begin(header, palette);
            DecompressRows(header, compressed, filled, line, prior, name, ref sink);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(prior);
            ArrayPool<byte>.Shared.Return(line);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private static int CollectImageData(ReadOnlySpan<byte> png, byte[] into)
    {
        // Chunk layout and CRCs were checked by the first pass.
        int filled = 0;
        int pos = Signature.Length;
        while (pos + 12 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            ReadOnlySpan<byte> type = png.Slice(pos + 4, 4);
            if (type.SequenceEqual("IDAT"u8))
            {
                png.Slice(pos + 8, length).CopyTo(into.AsSpan(filled));
                filled += length;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }
            pos += 12 + length;
        }
        return filled;
    }

    private static void DecompressRows<TSink>(in PngHeader header, byte[] compressed, int compressedLength, byte[] line, byte[] prior, string name,
        ref TSink sink)
        where TSink : struct, IPngRowSink
    {
        int rowBytes = header.RowBytes;
        Span<byte> priorRow = prior.AsSpan(0, rowBytes);
        priorRow.Clear();
        using var source = new MemoryStream(compressed, 0, compressedLength, writable: false);
        using var zlib = new ZLibStream(source, CompressionMode.Decompress);
        for (int y = 0; y < header.Height; y++)
        {
            int read;
            try
            {
                read = zlib.ReadAtLeast(line.AsSpan(0, rowBytes + 1), rowBytes + 1, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{name}: corrupt compressed image data in row {y}: {e.Message}", e);
            }
            if (read < rowBytes + 1)
            {
                Fail(name, $"truncated image data: {y} of {header.Height} rows present");
            }
            byte filter = line[0];
            Span<byte> row = line.AsSpan(1, rowBytes);
            if (!PngFilter.TryUnfilter(filter, row, priorRow, header.FilterUnit))
            {
                Fail(name, $"row {y} has unknown filter type {filter}");
            }
            sink.Row(header, y, row);
            row.CopyTo(priorRow);
        }
    }

    private static PngHeader ParseHeader(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length != 13)
        {
            Fail(name, $"IHDR chunk of {data.Length} bytes, expected 13");
        }
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        byte bitDepth = data[8], colorType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            Fail(name, $"bad image size {width}x{height}");
        }
        if ((long)width * height > MaxPixels)
        {
            Fail(name, $"{width}x{height} exceeds the {MaxPixels}-pixel limit");
        }
        if (colorType is not (0 or 2 or 3 or 4 or 6))
        {
            Fail(name, $"unknown colour type {colorType}");
        }
        if (bitDepth == 16)
        {
            Fail(name, "16-bit PNGs are not supported: save it with 8 bits per channel");
        }
        bool depthOk = colorType switch
        {
            0 or 3 => bitDepth is 1 or 2 or 4 or 8,
            _ => bitDepth == 8,
        };
        if (!depthOk)
        {
            Fail(name, $"bit depth {bitDepth} is not valid for colour type {colorType}");
        }
        if (compression != 0 || filter != 0)
        {
            Fail(name, $"unknown compression method {compression} or filter method {filter}");
        }
        if (interlace == 1)
        {
            Fail(name, "interlaced (Adam7) PNGs are not supported: save it non-interlaced");
        }
        if (interlace != 0)
        {
            Fail(name, $"unknown interlace method {interlace}");
        }
        return new PngHeader((int)width, (int)height, bitDepth, (PngColorType)colorType);
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> chars = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            chars[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        }
        return new string(chars);
    }

    [DoesNotReturn]
    private static void Fail(string name, string message) => throw new InvalidDataException($"{name}: {message}");

    private struct ImageSink : IPngRowSink
    {
        public PngImage? Image;
        private byte[]? _samples;

        public void Begin(in PngHeader header, ReadOnlySpan<byte> palette)
        {
            _samples = new byte[(long)header.Width * header.Height * header.Channels];
            Image = new PngImage(header.Width, header.Height, header.ColorType, _samples,
                header.ColorType == PngColorType.Palette ? palette.ToArray() : null);
        }

        public readonly void Row(in PngHeader header, int y, ReadOnlySpan<byte> raw)
        {
            int rowSamples = header.Width * header.Channels;
            header.UnpackRow(raw, _samples!.AsSpan(y * rowSamples, rowSamples));
        }
    }
}
