using System.Collections.Immutable;
using System.Diagnostics;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The YOLOX detection output family: one [1, N, 5+nc] tensor of raw grid outputs, N = Σ (H/s)·(W/s) over the
/// strides (8, 16, 32), grids in stride order, each row-major. Per anchor: x, y offsets in grid cells, log w, log h
/// (in cells), objectness and nc class scores (both already sigmoid).
/// </summary>
internal sealed record YoloxLayout(int Output, int ClassCount, int AnchorCount, int InputWidth, int InputHeight, ImmutableArray<int> Strides) : IDecoderLayout
{
    public static readonly ImmutableArray<int> DefaultStrides = [8, 16, 32];

    public int Attributes => 5 + ClassCount;

    public int OutputLength => AnchorCount * Attributes;

    /// <summary>Candidates a <paramref name="width"/>×<paramref name="height"/> input yields over <paramref name="strides"/>.</summary>
    public static int AnchorsFor(int width, int height, ImmutableArray<int> strides)
    {
        int n = 0;
        foreach (int s in strides)
        {
            n += (height / s) * (width / s);
        }
        return n;
    }

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(ClassCount > 0 && AnchorCount == AnchorsFor(InputWidth, InputHeight, Strides));
    }
}
