using System.Diagnostics;
using System.Text;

namespace RealtimeSeg.Protocol;

/// <summary>
/// Turns stream names read from the wire into strings without allocating once a name has been seen: a
/// subscriber sees the same few names over and over. Bounded so a hostile publisher cycling names cannot
/// grow it; the oldest entry is replaced when full. Not thread-safe (one per reader).
/// </summary>
internal sealed class StreamNameCache
{
    private const int Capacity = 16;

    private readonly byte[][] _utf8 = new byte[Capacity][];
    private readonly string[] _names = new string[Capacity];
    private int _count;
    private int _next;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        for (int i = 0; i < _count; i++)
        {
            if (utf8.SequenceEqual(_utf8[i]))
            {
                return _names[i];
            }
        }
        string name = Encoding.UTF8.GetString(utf8);
        _utf8[_next] = utf8.ToArray();
        _names[_next] = name;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
        AssertInvariants();
        return name;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_count <= Capacity && _next < Capacity);
        for (int i = 0; i < _count; i++)
        {
            Debug.Assert(Encoding.UTF8.GetString(_utf8[i]) == _names[i], "each cached name must match its bytes");
        }
    }
}
