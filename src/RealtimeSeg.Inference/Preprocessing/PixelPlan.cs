using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RealtimeSeg.Inference.Preprocessing;

/// <summary>
/// Converts rows of BGR bytes into a model's float input: channel reorder, (x − mean) / std, and HWC → CHW, in one
/// SIMD pass. Sixteen pixels (48 bytes, three 16-byte vectors) are permuted with byte table look-ups into three
/// output vectors, widened to floats and scaled. For CHW the three outputs are the three planes; for NHWC they are
/// the 48 interleaved values in model channel order, so one kernel serves both layouts.
/// </summary>
internal sealed unsafe class PixelPlan
{
    private const byte Zero = 0x80; // a look-up index with the top bit set yields 0 (pshufb and tbl alike)

    private readonly TensorLayout _layout;
    private readonly bool _identity;            // NHWC with the frame's own channel order: no permutation needed
    private readonly Vector128<byte>[] _masks;  // [output vector t * 3 + source vector u]
    private readonly Vector128<float>[] _scale; // [t * 4 + quarter q]
    private readonly Vector128<float>[] _bias;
    private readonly int[] _sourceChannel = new int[3];   // model channel k reads BGR byte _sourceChannel[k]
    private readonly float[] _channelScale = new float[3];
    private readonly float[] _channelBias = new float[3];

    public PixelPlan(InputSpec spec)
    {
        _layout = spec.Layout;
        for (int k = 0; k < 3; k++)
        {
            _sourceChannel[k] = spec.ColorOrder == ColorOrder.Rgb ? 2 - k : k;
            _channelScale[k] = 1f / spec.Std[k];
            _channelBias[k] = -spec.Mean[k] / spec.Std[k];
        }
        _identity = _layout == TensorLayout.Nhwc && spec.ColorOrder == ColorOrder.Bgr;

        // Where output byte j of output vector t comes from, as an index 0..47 into the 48 source bytes.
        Span<int> from = stackalloc int[48];
        Span<int> channelOf = stackalloc int[48];
        for (int t = 0; t < 3; t++)
        {
            for (int j = 0; j < 16; j++)
            {
                int o = t * 16 + j;
                if (_layout == TensorLayout.Nchw)
                {
                    from[o] = 3 * j + _sourceChannel[t]; // plane t, pixel j
                    channelOf[o] = t;
                }
                else
                {
                    int pixel = o / 3, k = o % 3;
                    from[o] = 3 * pixel + _sourceChannel[k];
                    channelOf[o] = k;
                }
            }
        }
        _masks = new Vector128<byte>[9];
        Span<byte> lane = stackalloc byte[16];
        for (int t = 0; t < 3; t++)
        {
            for (int u = 0; u < 3; u++)
            {
                for (int j = 0; j < 16; j++)
                {
                    int s = from[t * 16 + j];
                    lane[j] = s >= u * 16 && s < u * 16 + 16 ? (byte)(s - u * 16) : Zero;
                }
                _masks[t * 3 + u] = Vector128.Create((ReadOnlySpan<byte>)lane);
            }
        }
        _scale = new Vector128<float>[12];
        _bias = new Vector128<float>[12];
        Span<float> s4 = stackalloc float[4];
        Span<float> b4 = stackalloc float[4];
        for (int t = 0; t < 3; t++)
        {
            for (int q = 0; q < 4; q++)
            {
                for (int l = 0; l < 4; l++)
                {
                    int k = channelOf[t * 16 + q * 4 + l];
                    s4[l] = _channelScale[k];
                    b4[l] = _channelBias[k];
                }
                _scale[t * 4 + q] = Vector128.Create((ReadOnlySpan<float>)s4);
                _bias[t * 4 + q] = Vector128.Create((ReadOnlySpan<float>)b4);
            }
        }
    }

    /// <summary>Per model channel k: the BGR byte it reads.</summary>
    public ReadOnlySpan<int> SourceChannels => _sourceChannel;

    /// <summary>Per model channel k: the factor of <c>value · scale + bias</c>, i.e. 1 / std.</summary>
    public ReadOnlySpan<float> Scales => _channelScale;

    /// <summary>Per model channel k: the term of <c>value · scale + bias</c>, i.e. −mean / std.</summary>
    public ReadOnlySpan<float> Biases => _channelBias;

    /// <summary>The normalised value of a padding pixel in model channel <paramref name="k"/>.</summary>
    public float PadValue(byte pad, int k) => pad * _channelScale[k] + _channelBias[k];

    /// <summary>
    /// Converts <paramref name="width"/> BGR pixels at <paramref name="src"/>. CHW: model channel k goes to
    /// <c>planes + k * planeStride</c> (each already offset to the row's first pixel). NHWC: values go to
    /// <paramref name="planes"/> interleaved, 3 per pixel.
    /// </summary>
    public void ConvertRow(byte* src, int width, float* planes, int planeStride)
    {
        int x = 0;
        if (Avx2.IsSupported)
        {
            x = ConvertRowAvx2(src, width, planes, planeStride);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; x + 16 <= width; x += 16)
            {
                byte* p = src + x * 3;
                Vector128<byte> a = Vector128.Load(p);
                Vector128<byte> b = Vector128.Load(p + 16);
                Vector128<byte> c = Vector128.Load(p + 32);
                for (int t = 0; t < 3; t++)
                {
                    Vector128<byte> o = _identity
                        ? (t == 0 ? a : t == 1 ? b : c)
                        : Lookup(a, _masks[t * 3]) | Lookup(b, _masks[t * 3 + 1]) | Lookup(c, _masks[t * 3 + 2]);
                    float* d = _layout == TensorLayout.Nchw ? planes + t * planeStride + x : planes + x * 3 + t * 16;
                    StoreScaled(o, d, t);
                }
            }
        }
        for (; x < width; x++)
        {
            byte* p = src + x * 3;
            for (int k = 0; k < 3; k++)
            {
                float v = p[_sourceChannel[k]] * _channelScale[k] + _channelBias[k];
                if (_layout == TensorLayout.Nchw)
                {
                    planes[k * planeStride + x] = v;
                }
                else
                {
                    planes[x * 3 + k] = v;
                }
            }
        }
    }

    /// <summary>
    /// The x86 kernel: masks and scales held in registers for the whole row, 8 floats per instruction. Returns how
    /// many pixels it converted (a multiple of 16); the caller finishes the row.
    /// </summary>
    private int ConvertRowAvx2(byte* src, int width, float* planes, int planeStride)
    {
        Vector128<byte> m00 = _masks[0], m01 = _masks[1], m02 = _masks[2];
        Vector128<byte> m10 = _masks[3], m11 = _masks[4], m12 = _masks[5];
        Vector128<byte> m20 = _masks[6], m21 = _masks[7], m22 = _masks[8];
        Vector256<float> s0 = Vector256.Create(_scale[0], _scale[1]), s1 = Vector256.Create(_scale[2], _scale[3]);
        Vector256<float> s2 = Vector256.Create(_scale[4], _scale[5]), s3 = Vector256.Create(_scale[6], _scale[7]);
        Vector256<float> s4 = Vector256.Create(_scale[8], _scale[9]), s5 = Vector256.Create(_scale[10], _scale[11]);
        Vector256<float> b0 = Vector256.Create(_bias[0], _bias[1]), b1 = Vector256.Create(_bias[2], _bias[3]);
        Vector256<float> b2 = Vector256.Create(_bias[4], _bias[5]), b3 = Vector256.Create(_bias[6], _bias[7]);
        Vector256<float> b4 = Vector256.Create(_bias[8], _bias[9]), b5 = Vector256.Create(_bias[10], _bias[11]);
        bool planar = _layout == TensorLayout.Nchw;
        float* d0 = planes, d1 = planar ? planes + planeStride : planes + 16, d2 = planar ? planes + 2 * planeStride : planes + 32;
        int step = planar ? 16 : 48; // floats each output advances per 16 pixels
        int x = 0;
        for (; x + 16 <= width; x += 16, d0 += step, d1 += step, d2 += step)
        {
            byte* p = src + x * 3;
            Vector128<byte> a = Vector128.Load(p);
            Vector128<byte> b = Vector128.Load(p + 16);
            Vector128<byte> c = Vector128.Load(p + 32);
            Vector128<byte> o0 = a, o1 = b, o2 = c;
            if (!_identity)
            {
                o0 = Ssse3.Shuffle(a, m00) | Ssse3.Shuffle(b, m01) | Ssse3.Shuffle(c, m02);
                o1 = Ssse3.Shuffle(a, m10) | Ssse3.Shuffle(b, m11) | Ssse3.Shuffle(c, m12);
                o2 = Ssse3.Shuffle(a, m20) | Ssse3.Shuffle(b, m21) | Ssse3.Shuffle(c, m22);
            }
            Store8(o0, d0, s0, b0, s1, b1);
            Store8(o1, d1, s2, b2, s3, b3);
            Store8(o2, d2, s4, b4, s5, b5);
        }
        return x;
    }

    /// <summary>16 bytes → two vectors of 8 floats, scaled (multiply then add, as the scalar tail), stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(Vector128<byte> o, float* d, Vector256<float> scaleLo, Vector256<float> biasLo, Vector256<float> scaleHi, Vector256<float> biasHi)
    {
        Vector256<float> lo = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(o));
        Vector256<float> hi = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(o, 8)));
        Avx.Store(d, Avx.Add(Avx.Multiply(lo, scaleLo), biasLo));
        Avx.Store(d + 8, Avx.Add(Avx.Multiply(hi, scaleHi), biasHi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreScaled(Vector128<byte> o, float* d, int t)
    {
        Vector128<ushort> lo = Vector128.WidenLower(o);
        Vector128<ushort> hi = Vector128.WidenUpper(o);
        // Multiply then add, not fused, so the vector and scalar paths give bit-identical results.
        (Vector128.ConvertToSingle(Vector128.WidenLower(lo).AsInt32()) * _scale[t * 4] + _bias[t * 4]).Store(d);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(lo).AsInt32()) * _scale[t * 4 + 1] + _bias[t * 4 + 1]).Store(d + 4);
        (Vector128.ConvertToSingle(Vector128.WidenLower(hi).AsInt32()) * _scale[t * 4 + 2] + _bias[t * 4 + 2]).Store(d + 8);
        (Vector128.ConvertToSingle(Vector128.WidenUpper(hi).AsInt32()) * _scale[t * 4 + 3] + _bias[t * 4 + 3]).Store(d + 12);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> table, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(table, indices);
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.VectorTableLookup(table, indices);
        }
        Debug.Assert(Vector128.IsHardwareAccelerated);
        return Vector128.Shuffle(table, indices);
    }
}
