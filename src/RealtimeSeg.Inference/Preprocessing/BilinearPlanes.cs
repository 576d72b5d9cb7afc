using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RealtimeSeg.Inference.Preprocessing;

/// <summary>
/// Bilinear resize of a BGR frame straight into a model's float planes (CHW), fused with the normalisation, so the
/// resized image never exists as bytes. OpenCV's <c>resize</c> (the other path, <see cref="ResizeBuffer"/> then
/// <see cref="PixelPlan"/>) has no vectorised horizontal pass for three interleaved channels; this one does, per source
/// row that any output row needs, and each such row once:
/// <list type="number">
/// <item>split the row's BGR bytes into three byte planes (byte shuffles, 16 pixels at a time);</item>
/// <item>horizontal pass: 8 outputs at a time, one 16-byte load from the plane and one shuffle pick each output's
/// (left, right) source pixels (their indices are precomputed per block, and 8 outputs span at most 16 source bytes
/// for a downscale up to 2×), then <c>left · (1 − fx) + right · fx</c> with 14-bit weights in one 16-bit multiply-add
/// (<c>pmaddwd</c>); kept, as floats, for the next output row;</item>
/// <item>vertical pass: <c>top + (bottom − top) · fy</c>, then <c>· scale + bias</c>, stored into the model plane —
/// with streaming stores where the row is 32-byte aligned: the 7 MB tensor of a 1024x576 input is written whole, and a
/// plain store would first read each of its cache lines from memory (BenchmarkDotNet, frames and tensors cycled as in
/// the pipeline: 1.5 → 1.0 ms).</item>
/// </list>
/// Sample positions are OpenCV's <c>INTER_LINEAR</c> ones (pixel centres, <c>(d + 0.5) · src / dst − 0.5</c>, clamped
/// at the borders), so the values are the bilinear interpolation that OpenCV rounds to bytes: within 1/100 of a grey
/// level of the exact value, within one level of OpenCV's (tests/RealtimeSeg.Inference.Tests/BilinearPlanesTests.cs).
/// <para>On the way, it can also write the frame at exactly half size in BGR bytes (<see cref="PictureTarget"/>: the
/// 640-wide picture of a 720p frame for images and overlays), from the byte planes it splits anyway, instead of a
/// second pass over the frame: the rounded mean of each 2x2 block, which is OpenCV's bilinear halving byte for byte.</para>
/// Needs AVX2 and FMA; <see cref="Supports"/> says when a geometry can take this path. Not thread-safe: one per
/// <see cref="LetterboxPreprocessor"/>. Allocates only when the geometry changes.
/// </summary>
internal sealed unsafe class BilinearPlanes : IDisposable
{
    private const int Block = 8;     // outputs per horizontal step
    private const int Pad = 32;      // bytes beyond a byte plane's end that a 16-byte load may touch
    private const byte Zero = 0x80;  // pshufb yields 0 for an index with the top bit set
    private const int One = 1 << 14; // horizontal weights in 14-bit fixed point: ≤ 255/2^15 of a grey level off

    private readonly Vector128<byte>[] _split = CreateSplitMasks();
    private int _srcWidth, _srcHeight, _dstWidth, _dstHeight;
    private int[] _blockStart = [];                 // per block of 8 outputs: the first source pixel it reads
    private Vector128<byte>[] _pairs = [];          // per block: byte indices of each output's (left, right) source pixels
    private Vector256<short>[] _weights = [];       // per block: each output's (left, right) weights, summing to One
    private int[] _sx = [];                         // per output x: left source pixel (the scalar tail)
    private short[] _fx = [];                       // per output x: weight of the right source pixel, of One
    private int[] _sy = [];                         // per output y: top source row
    private float[] _fy = [];                       // per output y: weight of the bottom row
    private byte* _planes;                          // 3 byte planes of one source row, each _srcWidth + Pad long
    private float* _rows;                           // 2 cached horizontal results × 3 channels × _dstWidth
    private readonly int[] _cachedRow = [-1, -1];
    private readonly Vector128<byte>[] _merge = CreateMergeMasks();
    private ushort* _evenSums;                      // the half picture: 3 channels × pair sums of the last even row
    private byte* _halfPlanes;                      // the half picture: 3 byte planes of one output row
    private byte* _half;                            // this frame's half picture (null: none wanted)
    private int _halfStride;
    private int _halfRow;                           // the next source row the half picture needs; −1 once it cannot be made

    /// <summary>Whether this machine and a resize from <paramref name="srcWidth"/> to <paramref name="dstWidth"/> pixels (an upscale, or a downscale of at most 2×) can take the fused path.</summary>
    public static bool Supports(int srcWidth, int dstWidth)
        => Avx2.IsSupported && Fma.IsSupported && dstWidth >= Block && srcWidth >= 2 && srcWidth <= 2 * dstWidth;

    /// <summary>
    /// Resizes the <paramref name="srcWidth"/> × <paramref name="srcHeight"/> BGR image at <paramref name="bgr"/> to
    /// <paramref name="dstWidth"/> × <paramref name="dstHeight"/> and writes channel k (BGR index
    /// <paramref name="sourceChannel"/>[k]) as <c>value · scale[k] + bias[k]</c> to <c>planes + k · planeStride + y · rowStride</c>.
    /// </summary>
    /// <returns>Whether <paramref name="half"/> was written: it is when it is exactly half the source's size (both sides
    /// even) and the resize reads every source row, i.e. shrinks the height at most 2×.</returns>
    public bool Run(byte* bgr, int srcWidth, int srcHeight, int srcStride, int dstWidth, int dstHeight,
        float* planes, int planeStride, int rowStride, ReadOnlySpan<int> sourceChannel, ReadOnlySpan<float> scale, ReadOnlySpan<float> bias,
        in PictureTarget half = default)
    {
        Debug.Assert(Supports(srcWidth, dstWidth), "the caller checks Supports first");
        if (srcWidth != _srcWidth || srcHeight != _srcHeight || dstWidth != _dstWidth || dstHeight != _dstHeight)
        {
            Plan(srcWidth, srcHeight, dstWidth, dstHeight);
        }
        _cachedRow[0] = _cachedRow[1] = -1; // the frame is new
        bool halving = !half.IsNone && half.Width * 2 == srcWidth && half.Height * 2 == srcHeight && srcHeight <= 2 * dstHeight;
        _half = halving ? (byte*)half.Data : null;
        _halfStride = half.Stride;
        _halfRow = halving ? 0 : -1;
        int n = _dstWidth;
        // The horizontal pass leaves values times One; the scale takes that out.
        Span<float> unit = [scale[0] / One, scale[1] / One, scale[2] / One];
        Vector256<float> s0 = Vector256.Create(unit[0]), s1 = Vector256.Create(unit[1]), s2 = Vector256.Create(unit[2]);
        Vector256<float> b0 = Vector256.Create(bias[0]), b1 = Vector256.Create(bias[1]), b2 = Vector256.Create(bias[2]);
        int c0 = sourceChannel[0], c1 = sourceChannel[1], c2 = sourceChannel[2];
        for (int y = 0; y < dstHeight; y++)
        {
            int top = _sy[y];
            int bottom = Math.Min(top + 1, srcHeight - 1);
            float* t = Horizontal(bgr, srcStride, top, keep: bottom);
            float* b = Horizontal(bgr, srcStride, bottom, keep: top);
            var fy = Vector256.Create(_fy[y]);
            float* o = planes + (long)y * rowStride;
            Vertical(t + c0 * n, b + c0 * n, fy, s0, b0, o, n, _fy[y], unit[0], bias[0]);
            Vertical(t + c1 * n, b + c1 * n, fy, s1, b1, o + planeStride, n, _fy[y], unit[1], bias[1]);
            Vertical(t + c2 * n, b + c2 * n, fy, s2, b2, o + 2 * planeStride, n, _fy[y], unit[2], bias[2]);
        }
        Sse.StoreFence(); // the streaming stores are visible before the tensor is handed on
        return halving && _halfRow == srcHeight;
    }

    /// <summary>The horizontal pass of source row <paramref name="row"/> (3 BGR channels × _dstWidth floats), computed once per frame; <paramref name="keep"/> is the row not to evict.</summary>
    private float* Horizontal(byte* bgr, int srcStride, int row, int keep)
    {
        for (int i = 0; i < 2; i++)
        {
            if (_cachedRow[i] == row)
            {
                return _rows + i * 3 * _dstWidth;
            }
        }
        int slot = _cachedRow[0] == keep ? 1 : 0;
        _cachedRow[slot] = row;
        float* h = _rows + slot * 3 * _dstWidth;
        Split(bgr + (long)row * srcStride);
        if (_half is not null)
        {
            Halve(row);
        }
        int stride = _srcWidth + Pad;
        for (int c = 0; c < 3; c++)
        {
            Resample(_planes + c * stride, h + c * _dstWidth);
        }
        return h;
    }

    /// <summary>BGR bytes → three byte planes.</summary>
    private void Split(byte* src)
    {
        int stride = _srcWidth + Pad;
        byte* p0 = _planes, p1 = _planes + stride, p2 = _planes + 2 * stride;
        Vector128<byte> m00 = _split[0], m01 = _split[1], m02 = _split[2];
        Vector128<byte> m10 = _split[3], m11 = _split[4], m12 = _split[5];
        Vector128<byte> m20 = _split[6], m21 = _split[7], m22 = _split[8];
        int x = 0;
        for (; x + 16 <= _srcWidth; x += 16)
        {
            byte* p = src + x * 3;
            Vector128<byte> a = Vector128.Load(p), b = Vector128.Load(p + 16), c = Vector128.Load(p + 32);
            (Ssse3.Shuffle(a, m00) | Ssse3.Shuffle(b, m01) | Ssse3.Shuffle(c, m02)).Store(p0 + x);
            (Ssse3.Shuffle(a, m10) | Ssse3.Shuffle(b, m11) | Ssse3.Shuffle(c, m12)).Store(p1 + x);
            (Ssse3.Shuffle(a, m20) | Ssse3.Shuffle(b, m21) | Ssse3.Shuffle(c, m22)).Store(p2 + x);
        }
        for (; x < _srcWidth; x++)
        {
            p0[x] = src[x * 3];
            p1[x] = src[x * 3 + 1];
            p2[x] = src[x * 3 + 2];
        }
    }

    /// <summary>
    /// The half picture from the byte planes of source row <paramref name="row"/>: an even row leaves the sums of its
    /// horizontal pixel pairs; the odd row after it adds its own, rounds the mean of the four, <c>(a + b + c + d + 2) / 4</c>
    /// (OpenCV's bilinear at exactly half size, byte for byte), and writes the picture row interleaved back to BGR. Rows
    /// must come in order, each once; if one does not, the picture is given up for this frame (the caller resizes).
    /// </summary>
    private void Halve(int row)
    {
        if (row != _halfRow)
        {
            _halfRow = -1;
            _half = null;
            return;
        }
        _halfRow++;
        int n = _srcWidth / 2;
        int stride = _srcWidth + Pad;
        bool odd = (row & 1) == 1;
        Vector256<sbyte> ones = Vector256.Create((sbyte)1);
        Vector256<short> two = Vector256.Create((short)2);
        for (int c = 0; c < 3; c++)
        {
            byte* p = _planes + c * stride;
            ushort* even = _evenSums + c * (n + 16);
            byte* o = _halfPlanes + c * (n + 32);
            int x = 0;
            for (; x + 16 <= n; x += 16)
            {
                Vector256<short> sums = Avx2.MultiplyAddAdjacent(Avx.LoadVector256(p + 2 * x), ones);
                if (!odd)
                {
                    Avx.Store((short*)even + x, sums);
                    continue;
                }
                Vector256<short> mean = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Add(sums, Avx.LoadVector256((short*)even + x)), two), 2);
                Vector256<byte> packed = Avx2.PackUnsignedSaturate(mean, mean); // per 128-bit lane: 8 bytes, twice
                Avx2.Permute4x64(packed.AsUInt64(), 0b_11_01_10_00).AsByte().GetLower().Store(o + x);
            }
            for (; x < n; x++)
            {
                int sum = p[2 * x] + p[(2 * x) + 1];
                if (odd)
                {
                    o[x] = (byte)((sum + even[x] + 2) >> 2);
                }
                else
                {
                    even[x] = (ushort)sum;
                }
            }
        }
        if (odd)
        {
            Merge(_halfPlanes, n + 32, _half + (long)(row >> 1) * _halfStride, n);
        }
    }

    /// <summary>Three byte planes → <paramref name="width"/> BGR pixels (the inverse of <see cref="Split"/>).</summary>
    private void Merge(byte* planes, int planeStride, byte* dst, int width)
    {
        byte* p0 = planes, p1 = planes + planeStride, p2 = planes + 2 * planeStride;
        int x = 0;
        for (; x + 16 <= width; x += 16)
        {
            Vector128<byte> b = Vector128.Load(p0 + x), g = Vector128.Load(p1 + x), r = Vector128.Load(p2 + x);
            byte* d = dst + x * 3;
            (Ssse3.Shuffle(b, _merge[0]) | Ssse3.Shuffle(g, _merge[1]) | Ssse3.Shuffle(r, _merge[2])).Store(d);
            (Ssse3.Shuffle(b, _merge[3]) | Ssse3.Shuffle(g, _merge[4]) | Ssse3.Shuffle(r, _merge[5])).Store(d + 16);
            (Ssse3.Shuffle(b, _merge[6]) | Ssse3.Shuffle(g, _merge[7]) | Ssse3.Shuffle(r, _merge[8])).Store(d + 32);
        }
        for (; x < width; x++)
        {
            dst[x * 3] = p0[x];
            dst[x * 3 + 1] = p1[x];
            dst[x * 3 + 2] = p2[x];
        }
    }

    /// <summary>
    /// One byte plane → _dstWidth floats (times One), 8 at a time: one load, one shuffle into (left, right) byte pairs,
    /// widened to 16 bits, and one multiply-add of adjacent pairs with the weights; then a scalar tail, the same sums.
    /// </summary>
    private void Resample(byte* plane, float* dst)
    {
        int blocks = _dstWidth / Block;
        for (int j = 0; j < blocks; j++)
        {
            Vector128<byte> pairs = Ssse3.Shuffle(Vector128.Load(plane + _blockStart[j]), _pairs[j]);
            Vector256<int> sums = Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(pairs), _weights[j]);
            Avx.Store(dst + j * Block, Avx.ConvertToVector256Single(sums));
        }
        for (int x = blocks * Block; x < _dstWidth; x++)
        {
            int l = plane[_sx[x]], r = plane[_sx[x] + 1];
            dst[x] = (l * (One - _fx[x])) + (r * _fx[x]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vertical(float* top, float* bottom, Vector256<float> fy, Vector256<float> scale, Vector256<float> bias, float* dst, int n,
        float fyScalar, float scaleScalar, float biasScalar)
    {
        int x = 0;
        if (((nint)dst & 31) == 0)
        {
            // Streaming stores: the tensor is written whole and read by the model, so fetching its old cache lines first
            // (what a plain store does) would double the memory traffic of the largest buffer here.
            for (; x + Block <= n; x += Block)
            {
                Vector256<float> t = Avx.LoadVector256(top + x);
                Vector256<float> v = Fma.MultiplyAdd(Avx.Subtract(Avx.LoadVector256(bottom + x), t), fy, t);
                Avx.StoreAlignedNonTemporal(dst + x, Fma.MultiplyAdd(v, scale, bias));
            }
        }
        for (; x + Block <= n; x += Block)
        {
            Vector256<float> t = Avx.LoadVector256(top + x);
            Vector256<float> v = Fma.MultiplyAdd(Avx.Subtract(Avx.LoadVector256(bottom + x), t), fy, t);
            Avx.Store(dst + x, Fma.MultiplyAdd(v, scale, bias));
        }
        for (; x < n; x++)
        {
            float v = top[x] + ((bottom[x] - top[x]) * fyScalar);
            dst[x] = (v * scaleScalar) + biasScalar;
        }
    }

    /// <summary>Sample positions, weights and shuffle indices for one geometry; buffers sized for it.</summary>
    private void Plan(int srcWidth, int srcHeight, int dstWidth, int dstHeight)
    {
        Release();
        (_srcWidth, _srcHeight, _dstWidth, _dstHeight) = (srcWidth, srcHeight, dstWidth, dstHeight);
        float[] fx;
        (_sx, fx) = Positions(srcWidth, dstWidth);
        (_sy, _fy) = Positions(srcHeight, dstHeight);
        _fx = new short[dstWidth];
        for (int x = 0; x < dstWidth; x++)
        {
            _fx[x] = (short)MathF.Round(fx[x] * One);
        }
        int blocks = dstWidth / Block;
        _blockStart = new int[blocks];
        _pairs = new Vector128<byte>[blocks];
        _weights = new Vector256<short>[blocks];
        Span<byte> pairs = stackalloc byte[16];
        Span<short> weights = stackalloc short[16];
        for (int j = 0; j < blocks; j++)
        {
            int start = _sx[j * Block];
            _blockStart[j] = start;
            for (int k = 0; k < Block; k++)
            {
                int x = (j * Block) + k;
                int offset = _sx[x] - start;
                // A downscale of at most 2x keeps 8 outputs' sources within 16 bytes (Supports).
                Debug.Assert(offset is >= 0 and < 15, "8 outputs read at most 16 source pixels");
                pairs[2 * k] = (byte)offset;
                pairs[(2 * k) + 1] = (byte)(offset + 1);
                weights[2 * k] = (short)(One - _fx[x]);
                weights[(2 * k) + 1] = _fx[x];
            }
            _pairs[j] = Vector128.Create((ReadOnlySpan<byte>)pairs);
            _weights[j] = Vector256.Create((ReadOnlySpan<short>)weights);
        }
        _planes = (byte*)NativeMemory.AlignedAlloc((nuint)(3 * (srcWidth + Pad)), 64);
        new Span<byte>(_planes, 3 * (srcWidth + Pad)).Clear(); // the pad bytes are read (times a zero weight) at the right edge
        _rows = (float*)NativeMemory.AlignedAlloc((nuint)(2 * 3 * dstWidth * sizeof(float)), 64);
        int half = srcWidth / 2;
        _evenSums = (ushort*)NativeMemory.AlignedAlloc((nuint)(3 * (half + 16) * sizeof(ushort)), 64);
        _halfPlanes = (byte*)NativeMemory.AlignedAlloc((nuint)(3 * (half + 32)), 64);
    }

    /// <summary>OpenCV's INTER_LINEAR positions: left index and right weight per output, clamped to the edges.</summary>
    internal static (int[] Index, float[] Weight) Positions(int src, int dst)
    {
        var index = new int[dst];
        var weight = new float[dst];
        double scale = (double)src / dst;
        for (int d = 0; d < dst; d++)
        {
            float f = (float)(((d + 0.5) * scale) - 0.5);
            int s = (int)MathF.Floor(f);
            f -= s;
            if (s < 0)
            {
                (s, f) = (0, 0f);
            }
            if (s >= src - 1)
            {
                // The last pixel alone: read it as the left one (its right neighbour is weighted 0).
                (s, f) = (src - 1, 0f);
            }
            index[d] = s;
            weight[d] = f;
        }
        return (index, weight);
    }

    /// <summary>Byte-shuffle masks that split 16 BGR pixels (three 16-byte vectors) into 16 bytes per channel: [channel c * 3 + source vector u].</summary>
    private static Vector128<byte>[] CreateSplitMasks() => CreateMasks(static (c, u, j) =>
    {
        int s = (3 * j) + c; // the source byte of channel c's pixel j, in 48
        return s >= u * 16 && s < (u * 16) + 16 ? s - (u * 16) : Zero;
    });

    /// <summary>Byte-shuffle masks that interleave 16 bytes of each channel into 48 BGR bytes: [output vector t * 3 + channel c].</summary>
    private static Vector128<byte>[] CreateMergeMasks() => CreateMasks(static (t, c, j) =>
    {
        int o = (16 * t) + j; // the output byte, in 48
        return o % 3 == c ? o / 3 : Zero;
    });

    /// <summary>Nine 16-byte masks, [a * 3 + b], lane j = <paramref name="index"/>(a, b, j).</summary>
    private static Vector128<byte>[] CreateMasks(Func<int, int, int, int> index)
    {
        var masks = new Vector128<byte>[9];
        Span<byte> lane = stackalloc byte[16];
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                for (int j = 0; j < 16; j++)
                {
                    lane[j] = (byte)index(a, b, j);
                }
                masks[(a * 3) + b] = Vector128.Create((ReadOnlySpan<byte>)lane);
            }
        }
        return masks;
    }

    private void Release()
    {
        NativeMemory.AlignedFree(_planes);
        NativeMemory.AlignedFree(_rows);
        NativeMemory.AlignedFree(_evenSums);
        NativeMemory.AlignedFree(_halfPlanes);
        _planes = null;
        _rows = null;
        _evenSums = null;
        _halfPlanes = null;
        _srcWidth = _srcHeight = _dstWidth = _dstHeight = 0;
    }

    public void Dispose() => Release();
}
