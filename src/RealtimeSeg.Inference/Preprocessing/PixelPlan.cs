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
        if (Vector128.IsHardwareAccelerated)
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
