using System.Diagnostics;

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
                for (int i = 0; i < n; i++)
                {
                    row[i] = (byte)(row[i] + prior[i]);
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

    /// <summary>Writes <paramref name="row"/> filtered with <paramref name="type"/> into <paramref name="output"/>.</summary>
    public static void Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        Debug.Assert(row.Length == prior.Length && output.Length == row.Length && bpp >= 1);
        int n = row.Length;
        switch (type)
        {
            case None:
                row.CopyTo(output);
                break;
            case Sub:
                for (int i = 0; i < n; i++)
                {
                    output[i] = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                }
                break;
            case Up:
                for (int i = 0; i < n; i++)
                {
                    output[i] = (byte)(row[i] - prior[i]);
                }
                break;
            case Average:
                for (int i = 0; i < n; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    output[i] = (byte)(row[i] - ((left + prior[i]) >> 1));
                }
                break;
            case Paeth:
                for (int i = 0; i < n; i++)
                {
                    byte left = i >= bpp ? row[i - bpp] : (byte)0;
                    byte upLeft = i >= bpp ? prior[i - bpp] : (byte)0;
                    output[i] = (byte)(row[i] - Predict(left, prior[i], upLeft));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "PNG filter types are 0…4");
        }
    }

    /// <summary>The usual heuristic for choosing a filter: the sum of the filtered bytes taken as signed magnitudes.</summary>
    public static long Cost(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        foreach (byte b in filtered)
        {
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
