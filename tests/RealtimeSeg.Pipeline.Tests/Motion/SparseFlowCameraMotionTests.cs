using OpenCvSharp;
using RealtimeSeg.Pipeline.Motion;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Tests.Motion;

/// <summary><see cref="SparseFlowCameraMotion"/> on pairs of 720p frames cut from one textured canvas at known offsets.</summary>
public sealed class SparseFlowCameraMotionTests
{
    private const int Width = 1280;
    private const int Height = 720;
    private const int Margin = 40;

    [Theory]
    [InlineData(13f, -7f)]
    [InlineData(-25f, 4f)]
    [InlineData(0f, 0f)]
    public void Estimate_FrameShiftedByKnownOffset_GivesThatTranslationWithinAPixel(float dx, float dy)
    {
        using Mat canvas = TexturedCanvas(seed: 11);
        using var first = new GreyFrame();
        using var second = new GreyFrame();
        using var estimator = new SparseFlowCameraMotion();
        Fill(first, canvas, 0, 0);
        // The content moves by (dx, dy) in the image: the second frame's pixel (x, y) shows the first's (x − dx, y − dy).
        Fill(second, canvas, -(int)dx, -(int)dy);

        Assert.Equal(CameraMotion.Identity, estimator.Estimate(first));
        CameraMotion m = estimator.Estimate(second);

        Assert.InRange(m.M02, dx - 1f, dx + 1f);
        Assert.InRange(m.M12, dy - 1f, dy + 1f);
        Assert.InRange(m.Scale, 0.995f, 1.005f);
        Assert.Equal(0, estimator.Unsupported);
    }

    [Fact]
    public void Estimate_UniformPicture_GivesIdentityAndCountsIt()
    {
        using var blank = new Mat(Height, Width, MatType.CV_8UC3, new Scalar(90, 90, 90));
        using var frame = new GreyFrame();
        using var estimator = new SparseFlowCameraMotion();
        frame.Fill(blank.Data, Width, Height, (int)blank.Step());
        estimator.Estimate(frame);

        Assert.Equal(CameraMotion.Identity, estimator.Estimate(frame));
        Assert.Equal(1, estimator.Unsupported);
    }

    [Fact]
    public void Estimate_FrameSizeChanges_StartsAgainWithIdentity()
    {
        using Mat canvas = TexturedCanvas(seed: 12);
        using var large = new GreyFrame();
        using var small = new GreyFrame();
        using var estimator = new SparseFlowCameraMotion();
        Fill(large, canvas, 0, 0);
        using (var roi = new Mat(canvas, new Rect(Margin, Margin, 640, 360)))
        {
            small.Fill(roi.Data, 640, 360, (int)roi.Step());
        }
        estimator.Estimate(large);

        Assert.Equal(CameraMotion.Identity, estimator.Estimate(small));
    }

    [Fact]
    public void FillAndEstimate_AfterWarmUp_AllocateNothingManaged()
    {
        using Mat canvas = TexturedCanvas(seed: 13);
        using var a = new GreyFrame();
        using var b = new GreyFrame();
        using var estimator = new SparseFlowCameraMotion();
        Fill(a, canvas, 0, 0);
        Fill(b, canvas, 5, 3);
        estimator.Estimate(a);
        estimator.Estimate(b);

        using var window = new Mat(canvas, new Rect(Margin, Margin, Width, Height));
        IntPtr pixels = window.Data;
        int stride = (int)window.Step();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            a.Fill(pixels, Width, Height, stride);
            estimator.Estimate(a);
            estimator.Estimate(b);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0L, allocated);
    }

    /// <summary>A canvas larger than a frame by <see cref="Margin"/> on every side, covered in random rectangles (corners everywhere).</summary>
    private static Mat TexturedCanvas(int seed)
    {
        var canvas = new Mat(Height + (2 * Margin), Width + (2 * Margin), MatType.CV_8UC3, new Scalar(128, 128, 128));
        var random = new Random(seed);
        for (int i = 0; i < 1500; i++)
        {
            int x = random.Next(canvas.Cols), y = random.Next(canvas.Rows);
            var rect = new Rect(x, y, random.Next(6, 60), random.Next(6, 60));
            Cv2.Rectangle(canvas, rect, new Scalar(random.Next(256), random.Next(256), random.Next(256)), -1);
        }
        return canvas;
    }

    /// <summary>Fills <paramref name="frame"/> with the 720p window of <paramref name="canvas"/> offset by (<paramref name="ox"/>, <paramref name="oy"/>) from its centre position.</summary>
    private static void Fill(GreyFrame frame, Mat canvas, int ox, int oy)
    {
        using var roi = new Mat(canvas, new Rect(Margin + ox, Margin + oy, Width, Height));
        frame.Fill(roi.Data, Width, Height, (int)roi.Step());
    }
}
