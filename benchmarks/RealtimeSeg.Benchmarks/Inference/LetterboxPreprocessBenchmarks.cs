using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>Letterbox a real 1280x720 BGR frame into yolov8n-seg's 320x320 NCHW RGB /255 input (resize, pad, convert).</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class LetterboxPreprocessBenchmarks
{
    private SegmentationModel _model = null!;
    private InferenceSlot _slot = null!;
    private Mat _frame = null!;
    private IntPtr _pixels;
    private int _width, _height, _stride;

    [GlobalSetup]
    public void Setup()
    {
        _model = SegmentationModel.Load(new ModelOptions { Path = InferenceBenchmarkAssets.YoloSeg }, NullPipelineLog.Instance);
        _slot = _model.CreateSlot();
        _frame = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 0);
        (_pixels, _width, _height, _stride) = (_frame.Data, _frame.Width, _frame.Height, checked((int)_frame.Step()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _frame.Dispose();
    }

    [Benchmark(Description = "Preprocess 1280x720 BGR -> 320x320 CHW")]
    public void Preprocess() => _model.Preprocess(_pixels, _width, _height, _stride, _slot);
}
