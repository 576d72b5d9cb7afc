using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// Decodes an LZ4 frame of independent blocks (what <see cref="ChunkCompressor"/> writes, and what most writers write)
/// straight into the caller's buffer, block by block with K4os' block decoder: no intermediate buffer. K4os' frame
/// decoder asks its output for a whole maximum block (4 MiB) at a time and so allocates about three times a chunk.
/// Anything else — linked blocks, a dictionary, several frames — is left to that decoder (<see cref="TryDecode"/> says so).
/// Block and content checksums are skipped, not checked: a chunk's records carry their own CRC.
/// </summary>
internal static class Lz4FrameBlocks
{
    private const uint Magic = 0x184D2204;
    private const byte Version = 0x40;         // FLG bits 7-6 = 01
    private const byte IndependentBlocks = 0x20;
    private const byte BlockChecksum = 0x10;
    private const byte ContentSize = 0x08;
    private const byte ContentChecksum = 0x04;
    private const byte DictionaryId = 0x01;

    /// <summary>
    /// Decodes <paramref name="frame"/> into <paramref name="output"/>; returns false, having written nothing the caller
    /// relies on, when the frame is not one this decoder handles. Returns the bytes decoded in <paramref name="written"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">A frame of the handled kind that is malformed (a block runs past the end, or does not decode).</exception>
    public static bool TryDecode(ReadOnlySpan<byte> frame, Span<byte> output, out int written)
    {
        written = 0;
        if (frame.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic)
        {
            return false;
        }
        byte flags = frame[4];
        if ((flags & 0xC0) != Version || (flags & IndependentBlocks) == 0 || (flags & DictionaryId) != 0)
        {
            return false;
        }
        int at = 6 + ((flags & ContentSize) != 0 ? 8 : 0) + 1; // FLG, BD, [content size], HC
        int blockTrailer = (flags & BlockChecksum) != 0 ? 4 : 0;
        while (true)
        {
            if (at + 4 > frame.Length)
            {
                throw new InvalidDataException($"LZ4 frame ends inside a block header at byte {at}");
            }
            uint header = BinaryPrimitives.ReadUInt32LittleEndian(frame[at..]);
            at += 4;
            if (header == 0)
            {
                break; // end mark
            }
            int size = (int)(header & 0x7FFF_FFFF);
            if (size > frame.Length - at - blockTrailer)
            {
                throw new InvalidDataException($"LZ4 block at byte {at - 4} declares {size} bytes, {frame.Length - at} are left");
            }
            ReadOnlySpan<byte> block = frame.Slice(at, size);
            Span<byte> target = output[written..];
            if ((header & 0x8000_0000u) != 0)
            {
                if (size > target.Length)
                {
                    throw new InvalidDataException($"LZ4 frame holds more than the {output.Length} bytes declared");
                }
                block.CopyTo(target);
                written += size;
            }
            else
            {
                int decoded = LZ4Codec.Decode(block, target);
                if (decoded < 0)
                {
                    throw new InvalidDataException($"LZ4 block at byte {at - 4} does not decode into the {target.Length} bytes left");
                }
                written += decoded;
            }
            at += size + blockTrailer;
        }
        at += (flags & ContentChecksum) != 0 ? 4 : 0;
        // A second frame after the first (legal, rare): start again with the frame decoder that handles it.
        return at == frame.Length;
    }
}
