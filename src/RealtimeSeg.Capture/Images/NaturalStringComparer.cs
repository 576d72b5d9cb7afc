namespace RealtimeSeg.Capture.Images;

/// <summary>Orders file names as people do: <c>frame2.png</c> before <c>frame10.png</c> (runs of digits compare by value).</summary>
internal sealed class NaturalStringComparer : IComparer<string>
{
    public static NaturalStringComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        int i = 0;
        int j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i;
                int sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i])) { i++; }
                while (j < y.Length && char.IsAsciiDigit(y[j])) { j++; }
                ReadOnlySpan<char> a = x.AsSpan(si, i - si).TrimStart('0');
                ReadOnlySpan<char> b = y.AsSpan(sj, j - sj).TrimStart('0');
                if (a.Length != b.Length)
                {
                    return a.Length.CompareTo(b.Length);
                }
                int digits = a.SequenceCompareTo(b);
                if (digits != 0)
                {
                    return digits;
                }
                // Same value: fewer leading zeros first, so the order is total.
                int zeros = (i - si).CompareTo(j - sj);
                if (zeros != 0)
                {
                    return zeros;
                }
                continue;
            }
            int c = char.ToLowerInvariant(x[i]).CompareTo(char.ToLowerInvariant(y[j]));
            if (c != 0)
            {
                return c;
            }
            i++;
            j++;
        }
        int rest = (x.Length - i).CompareTo(y.Length - j);
        return rest != 0 ? rest : string.CompareOrdinal(x, y);
    }
}
