using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>
/// The five PNG scanline filters (PNG spec §9). <c>bpp</c> is the filter unit: bytes per complete pixel, at least 1.
/// The prior row of the first scanline is all zeros.
/// </summary>
internal static class PngFilter
{
    public const byte None = 0;
    public const byte Sub = 1;
    public const byte Up = 2;
    public const byte Average = 3;
    public const byte Paeth = 4;

    /// <summary>Reverses filter <paramref name="type"/> in place on <paramref name="row"/>; false for an unknown type.</summary>
    public static bool TryUnfilter(byte type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        Debug.Assert(row.Length == prior.Length && bpp >= 1);
        int n = row.Length;
        switch (type)
        {
            case None:
                return true;
            case Sub:
                for (int i = bpp; i < n; i++)
                {
                    row[i] = (byte)(row[i] + row[i - bpp]);
                }
                return true;
            case Up:
                int k = 0;
                if (Vector128.IsHardwareAccelerated)
                {
                    for (; k + Vector128<byte>.Count <= n; k += Vector128<byte>.Count)
                    {
                        Span<byte> chunk = row.Slice(k, Vector128<byte>.Count);
                        (Vector128.Create(chunk) + Vector128.Create(prior.Slice(k, Vector128<byte>.Count))).CopyTo(chunk);
                    }
                }
                for (; k < n; k++)
                {
                    row[k] = (byte)(row[k] + prior[k]);
                }
                return true;
            case Average:
                for (int i = 0; i < bpp && i < n; i++)
                {
                    row[i] = (byte)(row[i] + (prior[i] >> 1));
                }
                for (int i = bpp; i < n; i++)
                {
                    row[i] = (byte)(row[i] + ((row[i - bpp] + prior[i]) >> 1));
                }
                return true;
            case Paeth:
                for (int i = 0; i < bpp && i < n; i++)
                {
                    row[i] = (byte)(row[i] + prior[i]);
                }
                for (int i = bpp; i < n; i++)
                {
                    row[i] = (byte)(row[i] + Predict(row[i - bpp], prior[i], prior[i - bpp]));
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>Sub filter: each byte minus the byte one pixel to its left.</summary>
    public static void ApplySub(ReadOnlySpan<byte> row, int bpp, Span<byte> output)
    {
        Debug.Assert(output.Length == row.Length && bpp >= 1);
        int n = row.Length;
        int head = Math.Min(bpp, n);
        row[..head].CopyTo(output);
        int i = bpp;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<byte>.Count <= n; i += Vector128<byte>.Count)
            {
                (Vector128.Create(row.Slice(i, Vector128<byte>.Count)) - Vector128.Create(row.Slice(i - bpp, Vector128<byte>.Count)))
                    .CopyTo(output.Slice(i, Vector128<byte>.Count));
            }
        }
        for (; i < n; i++)
        {
            output[i] = (byte)(row[i] - row[i - bpp]);
        }
    }

    /// <summary>Up filter: each byte minus the byte above it.</summary>
    public static void ApplyUp(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, Span<byte> output)
    {
        Debug.Assert(output.Length == row.Length && prior.Length == row.Length);
        int n = row.Length, i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<byte>.Count <= n; i += Vector128<byte>.Count)
            {
                (Vector128.Create(row.Slice(i, Vector128<byte>.Count)) - Vector128.Create(prior.Slice(i, Vector128<byte>.Count)))
                    .CopyTo(output.Slice(i, Vector128<byte>.Count));
            }
        }
        for (; i < n; i++)
        {
            output[i] = (byte)(row[i] - prior[i]);
        }
    }

    /// <summary>The usual heuristic for choosing a filter: the sum of the filtered bytes taken as signed magnitudes.</summary>
    public static long Cost(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        int i = 0;
        if (Sse2.IsSupported)
        {
            Vector128<ulong> total = Vector128<ulong>.Zero;
            for (; i + Vector128<byte>.Count <= filtered.Length; i += Vector128<byte>.Count)
            {
                Vector128<byte> v = Vector128.Create(filtered.Slice(i, Vector128<byte>.Count));
                // |b| as a signed byte is min(b, 256 − b) as an unsigned one (128 stays 128).
                Vector128<byte> magnitude = Vector128.Min(v, Vector128<byte>.Zero - v);
                total += Sse2.SumAbsoluteDifferences(magnitude, Vector128<byte>.Zero).AsUInt64();
            }
            sum = (long)(total.GetElement(0) + total.GetElement(1));
        }
        for (; i < filtered.Length; i++)
        {
            byte b = filtered[i];
            sum += b < 128 ? b : 256 - b;
        }
        return sum;
    }

    public static byte Predict(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }
        return pb <= pc ? b : c;
    }
}
