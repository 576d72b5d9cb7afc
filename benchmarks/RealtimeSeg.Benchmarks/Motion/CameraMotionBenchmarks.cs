using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Benchmarks.Inference;
using RealtimeSeg.Pipeline.Motion;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Benchmarks.Motion;

/// <summary>
/// Camera-motion compensation per 720p frame (budget: ≤ 1 ms, issue 21): shrinking a real 1280x720 dash-cam frame to the
/// 320-px grey copy (on the inference thread, while the slot is held), and the sparse-flow estimate between two
/// consecutive frames of the same video (on the tracking stage). The estimate alternates between the two frames, so
/// its followed points and the periodic re-detection of corners run as in a stream.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class CameraMotionBenchmarks
{
    private Mat _first = null!;
    private Mat _second = null!;
    private GreyFrame _greyFirst = null!;
    private GreyFrame _greySecond = null!;
    private SparseFlowCameraMotion _estimator = null!;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _first = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 10);
        _second = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 11);
        _greyFirst = new GreyFrame();
        _greySecond = new GreyFrame();
        Fill(_greyFirst, _first);
        Fill(_greySecond, _second);
        _estimator = new SparseFlowCameraMotion();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _estimator.Dispose();
        _greyFirst.Dispose();
        _greySecond.Dispose();
        _first.Dispose();
        _second.Dispose();
    }

    [Benchmark(Description = "GreyFrame.Fill 1280x720 BGR -> 320x180 grey")]
    public void Shrink() => Fill(_greyFirst, _first);

    [Benchmark(Description = "SparseFlowCameraMotion.Estimate, consecutive 720p frames")]
    public CameraMotion Estimate() => _estimator.Estimate((_n++ & 1) == 0 ? _greyFirst : _greySecond);

    private static void Fill(GreyFrame grey, Mat frame) => grey.Fill(frame.Data, frame.Width, frame.Height, checked((int)frame.Step()));
}
