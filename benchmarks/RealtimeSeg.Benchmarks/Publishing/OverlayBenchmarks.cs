using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Benchmarks.Evaluation;
using RealtimeSeg.Benchmarks.Protocol;
using RealtimeSeg.Core;
using RealtimeSeg.Publishing.Overlay;

namespace RealtimeSeg.Benchmarks.Publishing;

/// <summary>
/// The overlay video's per-frame work on the sink's thread, at 640 and 1280 px wide: drawing a 1280x720 road scene
/// with 20 segments (18 tracked things: fill, outline, label, trail; the heads-up line) over a real camera frame (frame
/// 10 of udacity-cars-1280x720.mp4, scaled), and the two ways of getting the camera picture to the sink: copying the
/// BGR pixels the inference thread scaled anyway (<c>CopyPixels</c>, what <c>ComposedFrame.CopyBgr</c> does) or
/// decoding the JPEG made for the image topic (<c>DecodeJpeg</c>, quality 80). Render must show 0 B/op.
/// </summary>
/// <para>On a shared, loaded machine BenchmarkDotNet's wall-clock figures of a multi-millisecond operation include the
/// time the thread waited for a core; <see cref="MeasureCpuTime"/> (<c>RealtimeSeg.Benchmarks overlay-cpu [N]</c>)
/// reports the same operations in the thread's own CPU time.</para>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class OverlayBenchmarks
{
    private OverlayRenderer _renderer = null!;
    private PanopticFrame[] _frames = [];
    private byte[] _camera = [];
    private byte[] _copy = [];
    private byte[] _jpeg = [];
    private int _height;
    private int _next;

    [Params(640, 1280)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _height = Width * 9 / 16;
        using (var capture = new VideoCapture(MotBenchmarkAssets.Path("videos/udacity-cars-1280x720.mp4")))
        using (var frame = new Mat())
        using (var scaled = new Mat())
        {
            capture.Set(VideoCaptureProperties.PosFrames, 10);
            if (!capture.Read(frame) || frame.Empty())
            {
                throw new InvalidOperationException("could not read frame 10 of udacity-cars-1280x720.mp4");
            }
            Cv2.Resize(frame, scaled, new Size(Width, _height), 0, 0, InterpolationFlags.Area);
            _camera = new byte[Width * _height * 3];
            scaled.GetArray(out Vec3b[] pixels);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).CopyTo(_camera);
            Cv2.ImEncode(".jpg", scaled, out _jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 80));
        }
        _copy = new byte[_camera.Length];
        // Two frames a few pixels apart, alternated: tracks move, trails grow to their full 20 points.
        _frames = [BenchmarkScene.Create(640, 360, segments: 20), BenchmarkScene.Create(640, 360, segments: 20)];
        foreach (ref PanopticSegment s in _frames[1].Segments)
        {
            s.CentroidX += 6;
        }
        var categories = new CategoryTable(
        [
            new Category(3, "car", true, 0x00008E),
            new Category(101, "road", false, 0x804080),
            new Category(102, "sky", false, 0x4682B4),
        ]);
        _renderer = new OverlayRenderer(categories, "front", Width, _height);
        for (int i = 0; i < 40; i++)
        {
            Render();
        }
        Console.WriteLine($"// {Width}x{_height}: JPEG {_jpeg.Length} bytes, raw {_camera.Length} bytes");
    }

    [Benchmark]
    public void Render()
    {
        PanopticFrame frame = _frames[_next];
        _next ^= 1;
        frame.Sequence++;
        _renderer.Render(_camera, Width, _height, frame);
    }

    [Benchmark]
    public void CopyPixels() => _camera.AsSpan().CopyTo(_copy);

    [Benchmark]
    public int DecodeJpeg()
    {
        using Mat decoded = Cv2.ImDecode(_jpeg, ImreadModes.Color);
        return decoded.Width;
    }

    /// <summary>Median and p90 thread CPU time of each operation over <paramref name="runs"/> runs, both widths, printed.</summary>
    public static void MeasureCpuTime(int runs)
    {
        foreach (int width in new[] { 640, 1280 })
        {
            var b = new OverlayBenchmarks { Width = width };
            b.Setup();
            double[] render = Sample(runs, b.Render), copy = Sample(runs, b.CopyPixels), decode = Sample(runs, () => b.DecodeJpeg());
            Console.WriteLine(System.FormattableString.Invariant(
                $"{width}x{b._height}: Render median {render[runs / 2]:0.000} ms p90 {render[runs * 9 / 10]:0.000} ms; CopyPixels median {copy[runs / 2]:0.000} ms; DecodeJpeg median {decode[runs / 2]:0.000} ms p90 {decode[runs * 9 / 10]:0.000} ms (thread CPU time, {runs} runs)"));
        }
    }

    private static double[] Sample(int runs, Action operation)
    {
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            double start = ThreadCpuMs();
            operation();
            ms[i] = ThreadCpuMs() - start;
        }
        Array.Sort(ms);
        return ms;
    }

    private static double ThreadCpuMs()
    {
        const int ClockThreadCpuTimeId = 3;
        _ = ClockGetTime(ClockThreadCpuTimeId, out TimeSpec t);
        return (t.Seconds * 1e3) + (t.Nanoseconds / 1e6);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
