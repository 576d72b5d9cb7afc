using System.Diagnostics;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// A segment id per pixel, row-major. Reusable: <see cref="Reset"/> keeps the buffer when it is large enough, so
/// reading a sequence of same-sized maps into one instance allocates once.
/// </summary>
public sealed class IdMap
{
    private int[] _ids;

    public IdMap(int width, int height)
    {
        _ids = [];
        Reset(width, height);
    }

    public int Width { get; private set; }
    public int Height { get; private set; }

    /// <summary>The <see cref="Width"/>·<see cref="Height"/> ids, row-major.</summary>
    public Span<int> Ids => _ids.AsSpan(0, Width * Height);

    public int this[int x, int y]
    {
        get => _ids[Index(x, y)];
        set => _ids[Index(x, y)] = value;
    }

    /// <summary>Sets the size (growing the buffer only when too small); the ids are then unspecified.</summary>
    public void Reset(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        int size = checked(width * height);
        if (_ids.Length < size)
        {
            _ids = new int[size];
        }
        Width = width;
        Height = height;
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    public void AssertInvariants() => Debug.Assert(Width >= 0 && Height >= 0 && Width * Height <= _ids.Length);

    private int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            ThrowOutside(x, y);
        }
        return y * Width + x;
    }

    private void ThrowOutside(int x, int y) => throw new ArgumentOutOfRangeException(nameof(x), $"pixel ({x},{y}) is outside the {Width}x{Height} map");
}
