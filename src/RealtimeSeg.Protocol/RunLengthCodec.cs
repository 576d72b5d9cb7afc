using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;

namespace RealtimeSeg.Protocol;

/// <summary>
/// The "rle16" map encoding: the row-major map as runs of (uint16 LE segment id, uint16 LE length ≥ 1).
/// Runs may cross row ends; a run longer than 65535 is split into several runs of the same id.
/// Run ends are found with the vectorised IndexOfAnyExcept, so long runs (stuff regions) cost little more than a
/// memory scan.
/// </summary>
internal static class RunLengthCodec
{
    public const int BytesPerRun = 4;
    public const int MaxRunLength = ushort.MaxValue;

    /// <summary>Upper bound of the encoded size: one run per pixel (splitting long runs never adds more runs than pixels).</summary>
    public static int MaxEncodedBytes(int pixels) => checked(pixels * BytesPerRun);

    public static int CountRuns(ReadOnlySpan<ushort> map)
    {
        int runs = 0;
        int i = 0;
        while (i < map.Length)
        {
            int length = RunLengthAt(map, i);
            runs += (length + MaxRunLength - 1) / MaxRunLength;
            i += length;
        }
        return runs;
    }

    /// <summary>Writes the runs, exactly <c>CountRuns(map) * 4</c> bytes, into <paramref name="destination"/> and returns that length.</summary>
    public static int Encode(ReadOnlySpan<ushort> map, Span<byte> destination)
    {
        int written = 0;
        int i = 0;
        while (i < map.Length)
        {
            ushort id = map[i];
            int length = RunLengthAt(map, i);
            i += length;
            while (length > 0)
            {
                int chunk = Math.Min(length, MaxRunLength);
                Span<byte> run = destination.Slice(written, BytesPerRun);
                BinaryPrimitives.WriteUInt16LittleEndian(run, id);
                BinaryPrimitives.WriteUInt16LittleEndian(run[2..], (ushort)chunk);
                written += BytesPerRun;
                length -= chunk;
            }
        }
        return written;
    }

    /// <summary>
    /// Fills <paramref name="map"/> from runs. Returns null on success, or what is wrong and the byte offset
    /// (within <paramref name="runs"/>) of the offending run, for the caller to turn into a
    /// <see cref="ProtocolException"/> with the payload offset.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> runs, Span<ushort> map, out int errorOffset)
    {
        errorOffset = 0;
        if (runs.Length % BytesPerRun != 0)
        {
            errorOffset = runs.Length - runs.Length % BytesPerRun;
            return "rle16 data length must be a multiple of 4 bytes";
        }
        int position = 0;
        for (int offset = 0; offset < runs.Length; offset += BytesPerRun)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(runs[offset..]);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(runs[(offset + 2)..]);
            if (length == 0)
            {
                errorOffset = offset;
                return "rle16 run of length 0";
            }
            if (length > map.Length - position)
            {
                errorOffset = offset;
                return "rle16 runs cover more pixels than map_w × map_h";
            }
            map.Slice(position, length).Fill(id);
            position += length;
        }
        if (position != map.Length)
        {
            errorOffset = runs.Length;
            return "rle16 runs cover fewer pixels than map_w × map_h";
        }
        return null;
    }

    /// <summary>
    /// Checks, without decoding, that <paramref name="runs"/> cover exactly <paramref name="pixels"/> pixels: what a reader
    /// verifies before growing a map for a message. Null when they do; otherwise the same problems as <see cref="Decode"/>.
    /// </summary>
    public static string? CheckCoverage(in ReadOnlySequence<byte> runs, long pixels, out long errorOffset)
    {
        errorOffset = 0;
        if (runs.Length % BytesPerRun != 0)
        {
            errorOffset = runs.Length - runs.Length % BytesPerRun;
            return "rle16 data length must be a multiple of 4 bytes";
        }
        long covered = 0;
        if (runs.IsSingleSegment)
        {
            ReadOnlySpan<byte> span = runs.FirstSpan;
            for (int offset = 0; offset < span.Length; offset += BytesPerRun)
            {
                int run = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]);
                covered += run;
                if (run == 0 || covered > pixels)
                {
                    errorOffset = offset;
                    return run == 0 ? "rle16 run of length 0" : "rle16 runs cover more pixels than map_w × map_h";
                }
            }
            return covered == pixels ? null : Fewer(runs.Length, out errorOffset);
        }
        var reader = new SequenceReader<byte>(runs);
        while (reader.Remaining >= BytesPerRun)
        {
            long offset = reader.Consumed;
            reader.Advance(2);
            reader.TryReadLittleEndian(out short length);
            int run = (ushort)length;
            if (run == 0)
            {
                errorOffset = offset;
                return "rle16 run of length 0";
            }
            covered += run;
            if (covered > pixels)
            {
                errorOffset = offset;
                return "rle16 runs cover more pixels than map_w × map_h";
            }
        }
        return covered == pixels ? null : Fewer(runs.Length, out errorOffset);
    }

    private static string Fewer(long length, out long errorOffset)
    {
        errorOffset = length;
        return "rle16 runs cover fewer pixels than map_w × map_h";
    }

    private static int RunLengthAt(ReadOnlySpan<ushort> map, int start)
    {
        Debug.Assert(start < map.Length);
        int other = map[(start + 1)..].IndexOfAnyExcept(map[start]);
        return other < 0 ? map.Length - start : other + 1;
    }
}
