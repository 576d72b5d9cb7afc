using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using OpenCvSharp;
using RealtimeSeg.Inference.Preprocessing;

namespace RealtimeSeg.Inference.Tests;

/// <summary>
/// The fused resize-and-normalise path against two references: the exact bilinear interpolation at OpenCV's sample
/// positions (computed here in doubles, one pixel at a time) and OpenCV's own <c>resize</c>, which rounds that value
/// to a byte with 11-bit fixed-point weights (so it is off by up to about 0.6 of a level).
/// </summary>
public sealed unsafe class BilinearPlanesTests
{
    private static readonly int[] Bgr = [0, 1, 2];
    private static readonly int[] Rgb = [2, 1, 0];

    [Theory]
    [InlineData(1280, 720, 1024, 576, 0)]  // the bundled model's letterbox content, rows 32-byte aligned: streaming stores
    [InlineData(1280, 720, 1024, 576, 1)]  // the same into rows that are not: plain stores
    [InlineData(64, 36, 32, 18, 0)]        // exactly 2x: 8 outputs read all 16 bytes of a load
    [InlineData(1000, 333, 517, 172, 0)]   // widths not a multiple of 8 or 16, the scalar tails (and unaligned rows)
    [InlineData(40, 20, 64, 48, 3)]        // upscale
    [InlineData(9, 3, 8, 5, 0)]            // a single block, fewer source pixels than a split step
    public void Run_RandomImage_IsTheBilinearInterpolationAndWithinOneLevelOfOpenCv(int srcW, int srcH, int dstW, int dstH, int offset)
    {
        // The fused path needs AVX2; other machines take OpenCV's (LetterboxPreprocessorTests cover it).
        Assert.Equal(Avx2.IsSupported && Fma.IsSupported, BilinearPlanes.Supports(srcW, dstW));
        if (!BilinearPlanes.Supports(srcW, dstW))
        {
            return;
        }
        int stride = srcW * 3 + 5; // rows padded, as a frame slot's may be
        byte[] image = new byte[stride * srcH];
        new Random(srcW * 31 + dstW).NextBytes(image);
        int plane = dstW * dstH;
        float* memory = (float*)NativeMemory.AlignedAlloc((nuint)((3 * plane) + offset) * sizeof(float), 64);
        var tensor = new Span<float>(memory + offset, 3 * plane);
        using (var resampler = new BilinearPlanes())
        {
            fixed (byte* src = image)
            {
                float* dst = memory + offset;
                // Twice: the second frame must not reuse the first one's cached rows.
                resampler.Run(src, srcW, srcH, stride, dstW, dstH, dst, plane, dstW, Bgr, [1f, 1f, 1f], [0f, 0f, 0f]);
                new Random(7).NextBytes(image);
                resampler.Run(src, srcW, srcH, stride, dstW, dstH, dst, plane, dstW, Rgb, [1f / 255f, 1f / 255f, 1f / 255f], [0f, -0.5f, 0f]);
            }
        }

        using Mat source = Mat.FromPixelData(srcH, srcW, MatType.CV_8UC3, image, stride);
        using var opencv = new Mat();
        Cv2.Resize(source, opencv, new Size(dstW, dstH), 0, 0, InterpolationFlags.Linear);
        (int[] sx, float[] fx) = BilinearPlanes.Positions(srcW, dstW);
        (int[] sy, float[] fy) = BilinearPlanes.Positions(srcH, dstH);
        for (int y = 0; y < dstH; y++)
        {
            for (int x = 0; x < dstW; x++)
            {
                for (int k = 0; k < 3; k++)
                {
                    int c = Rgb[k];
                    double Pixel(int px, int py) => image[(Math.Min(py, srcH - 1) * stride) + (Math.Min(px, srcW - 1) * 3) + c];
                    double top = Pixel(sx[x], sy[y]) + ((Pixel(sx[x] + 1, sy[y]) - Pixel(sx[x], sy[y])) * fx[x]);
                    double bottom = Pixel(sx[x], sy[y] + 1) + ((Pixel(sx[x] + 1, sy[y] + 1) - Pixel(sx[x], sy[y] + 1)) * fx[x]);
                    double exact = top + ((bottom - top) * fy[y]);
                    double bias = k == 1 ? -0.5 : 0;
                    float got = tensor[(k * plane) + (y * dstW) + x];
                    // 14-bit weights: at most 255 / 2^15 of a level off the exact value.
                    Assert.True(Math.Abs(got - ((exact / 255) + bias)) < 0.01 / 255,
                        $"({x},{y}) channel {k}: exact {exact / 255 + bias}, got {got}");
                    double level = (got - bias) * 255;
                    byte rounded = opencv.At<Vec3b>(y, x)[c];
                    Assert.True(Math.Abs(level - rounded) < 1, $"({x},{y}) channel {k}: OpenCV {rounded}, fused {level}");
                }
            }
        }
        NativeMemory.AlignedFree(memory);
    }

    [Theory]
    [InlineData(1280, 320, false)] // 4x down: 8 outputs would need more than 16 source bytes
    [InlineData(1280, 640, true)]
    [InlineData(7, 4, false)]      // fewer than 8 outputs
    public void Supports_DownscalesUpToTwoTimes(int srcW, int dstW, bool expected)
    {
        Assert.Equal(expected && Avx2.IsSupported && Fma.IsSupported, BilinearPlanes.Supports(srcW, dstW));
    }

    [Fact]
    public void Positions_AreOpenCvsPixelCentres_ClampedAtTheEdges()
    {
        (int[] index, float[] weight) = BilinearPlanes.Positions(1280, 1024);
        Assert.Equal((0, 0.125f), (index[0], weight[0]));           // (0 + 0.5) · 1.25 − 0.5
        Assert.Equal((1, 0.375f), (index[1], weight[1]));           // 1.375
        Assert.Equal((1278, 0.875f), (index[1023], weight[1023]));  // 1278.875

        (index, weight) = BilinearPlanes.Positions(40, 64);          // upscale: both ends fall outside the pixel centres
        Assert.Equal((0, 0f), (index[0], weight[0]));               // −0.1875: the first pixel alone
        Assert.Equal((39, 0f), (index[63], weight[63]));            // 39.1875: the last pixel alone
    }
}
