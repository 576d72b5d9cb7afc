using OpenCvSharp;
using RealtimeSeg.Inference.Preprocessing;

namespace RealtimeSeg.Inference.Tests;

public sealed unsafe class LetterboxPreprocessorTests
{
    /// <summary>A BGR image whose pixel (x, y) has distinct, position-derived bytes.</summary>
    private static byte[] MakeImage(int width, int height, int stride, int seed)
    {
        var img = new byte[stride * height];
        var rng = new Random(seed);
        rng.NextBytes(img);
        return img;
    }

    private static float[] Run(InputSpec spec, byte[] image, int width, int height, int stride, out LetterboxTransform t)
    {
        var tensor = new float[spec.ElementCount];
        using var pre = new LetterboxPreprocessor(spec);
        fixed (byte* src = image)
        fixed (float* dst = tensor)
        {
            t = pre.Run((IntPtr)src, width, height, stride, dst, tensor.Length);
        }
        return tensor;
    }

    [Fact]
    public void Run_TinyImageNchwRgb_PixelsLandInTheirPlanesBelowThePadding()
    {
        // 4x2 image into a 4x4 input: no resize, one padding row above and below.
        byte[] img =
        [
            1, 2, 3, /**/ 4, 5, 6, /**/ 7, 8, 9, /**/ 10, 11, 12,
            13, 14, 15, /**/ 16, 17, 18, /**/ 19, 20, 21, /**/ 22, 23, 24,
        ];
        var spec = InputSpec.Ultralytics("images", TensorLayout.Nchw, 4, 4);

        float[] x = Run(spec, img, 4, 2, 12, out LetterboxTransform t);

        Assert.Equal((1f, 0, 1), (t.Scale, t.PadX, t.PadY));
        const int Plane = 16;
        // R plane first (model wants RGB): pixel (1, 0) has B=4, G=5, R=6 and sits at input row 1.
        Assert.Equal(6f / 255f, x[0 * Plane + 1 * 4 + 1], 5);
        Assert.Equal(5f / 255f, x[1 * Plane + 1 * 4 + 1], 5);
        Assert.Equal(4f / 255f, x[2 * Plane + 1 * 4 + 1], 5);
        // pixel (3, 1): B=22, G=23, R=24 at input row 2, column 3.
        Assert.Equal(24f / 255f, x[0 * Plane + 2 * 4 + 3], 5);
        Assert.Equal(22f / 255f, x[2 * Plane + 2 * 4 + 3], 5);
        // rows 0 and 3 are padding, 114 grey in every plane.
        for (int k = 0; k < 3; k++)
        {
            for (int col = 0; col < 4; col++)
            {
                Assert.Equal(114f / 255f, x[k * Plane + col], 5);
                Assert.Equal(114f / 255f, x[k * Plane + 12 + col], 5);
            }
        }
    }

    [Theory]
    [InlineData(TensorLayout.Nchw, ColorOrder.Rgb)]
    [InlineData(TensorLayout.Nchw, ColorOrder.Bgr)]
    [InlineData(TensorLayout.Nhwc, ColorOrder.Rgb)]
    [InlineData(TensorLayout.Nhwc, ColorOrder.Bgr)]
    public void Run_WideImageWithRowPadding_EveryValueMatchesTheFormula(TensorLayout layout, ColorOrder order)
    {
        // 37 pixels: two 16-pixel SIMD blocks plus a 5-pixel scalar tail; stride has 5 spare bytes per row.
        const int W = 37, H = 5, Stride = W * 3 + 5, InH = 37;
        byte[] img = MakeImage(W, H, Stride, seed: 7);
        float[] mean = [10f, 20f, 30f], std = [2f, 4f, 8f];
        var spec = new InputSpec("x", layout, W, InH, order, mean, std, padValue: 100);

        float[] x = Run(spec, img, W, H, Stride, out LetterboxTransform t);

        Assert.Equal((1f, 16), (t.Scale, t.PadY));
        for (int y = 0; y < InH; y++)
        {
            for (int px = 0; px < W; px++)
            {
                for (int k = 0; k < 3; k++)
                {
                    int sourceChannel = order == ColorOrder.Rgb ? 2 - k : k;
                    int sy = y - t.PadY;
                    float pixel = sy >= 0 && sy < H ? img[sy * Stride + px * 3 + sourceChannel] : 100f;
                    float expected = (pixel - mean[k]) / std[k];
                    int index = layout == TensorLayout.Nchw ? k * W * InH + y * W + px : (y * W + px) * 3 + k;
                    Assert.True(Math.Abs(expected - x[index]) < 1e-4f, $"({px},{y}) channel {k}: expected {expected}, got {x[index]}");
                }
            }
        }
    }

    [Fact]
    public void Run_DownscaledImage_MatchesOpenCvBilinearResize()
    {
        const int W = 64, H = 36;
        byte[] img = MakeImage(W, H, W * 3, seed: 3);
        var spec = InputSpec.Ultralytics("images", TensorLayout.Nchw, 32, 32);

        float[] x = Run(spec, img, W, H, W * 3, out LetterboxTransform t);

        Assert.Equal((0.5f, 32, 18, 7), (t.Scale, t.ResizedWidth, t.ResizedHeight, t.PadY));
        using Mat src = Mat.FromPixelData(H, W, MatType.CV_8UC3, img);
        using var expected = new Mat();
        Cv2.Resize(src, expected, new Size(32, 18), 0, 0, InterpolationFlags.Linear);
        for (int y = 0; y < 18; y++)
        {
            for (int px = 0; px < 32; px++)
            {
                // OpenCV rounds the interpolated value to a byte (11-bit weights); the fused path (BilinearPlanes) keeps it exact.
                Vec3b bgr = expected.At<Vec3b>(y, px);
                int at = (y + 7) * 32 + px;
                Assert.InRange(x[at] - (bgr.Item2 / 255f), -1f / 255f, 1f / 255f);
                Assert.InRange(x[1024 + at] - (bgr.Item1 / 255f), -1f / 255f, 1f / 255f);
                Assert.InRange(x[2048 + at] - (bgr.Item0 / 255f), -1f / 255f, 1f / 255f);
            }
        }
    }

    [Fact]
    public void Run_GeometryChangesBetweenFrames_PaddingFollowsTheNewGeometry()
    {
        var spec = InputSpec.Ultralytics("images", TensorLayout.Nchw, 16, 16);
        var tensor = new float[spec.ElementCount];
        byte[] wide = new byte[32 * 8 * 3];   // 32x8 → content 16x4, pad rows 6
        byte[] tall = new byte[8 * 32 * 3];   // 8x32 → content 4x16, pad columns 6
        Array.Fill(wide, (byte)255);
        Array.Fill(tall, (byte)0);
        using var pre = new LetterboxPreprocessor(spec);
        fixed (float* dst = tensor)
        {
            fixed (byte* p = wide)
            {
                pre.Run((IntPtr)p, 32, 8, 96, dst, tensor.Length);
            }
            fixed (byte* p = tall)
            {
                pre.Run((IntPtr)p, 8, 32, 24, dst, tensor.Length);
            }
        }

        // Row 0, column 8 held padding after the wide frame and is content (black) after the tall one;
        // row 8, column 0 held white content and is padding now.
        Assert.Equal(0f, tensor[0 * 16 + 8]);
        Assert.Equal(114f / 255f, tensor[8 * 16 + 0], 5);
    }
}
