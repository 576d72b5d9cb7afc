using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// Letterbox a real 1280x720 BGR frame into a model's NCHW RGB /255 input (resize, pad, convert): yolov8n-seg's 320x320,
/// and the bundled model's 1024x576 (the pipeline's preprocess stage in the default demo and bench).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class LetterboxPreprocessBenchmarks
{
    private SegmentationModel _model = null!;
    private InferenceSlot _slot = null!;
    private Mat _frame = null!;
    private IntPtr _pixels;
    private int _width, _height, _stride;
    private readonly RealtimeSeg.Inference.Preprocessing.ResizeBuffer _resize = new();
    private readonly RealtimeSeg.Inference.Preprocessing.ResizeBuffer _picture = new();

    [Params("yolov8n-seg-320", "bundled-1024x576")]
    public string Model { get; set; } = "";

    /// <summary>OpenCV's worker threads for its resize (0: its default, every core); the fused path uses one thread.</summary>
    [Params(0, 1)]
    public int OpenCvThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (OpenCvThreads > 0)
        {
            Cv2.SetNumThreads(OpenCvThreads);
        }
        string path = Model == "bundled-1024x576"
            ? System.IO.Path.Combine(InferenceBenchmarkAssets.RepositoryRoot(), "models", "realtimeseg-demo.onnx")
            : InferenceBenchmarkAssets.YoloSeg;
        _model = SegmentationModel.Load(new ModelOptions { Path = path }, NullPipelineLog.Instance);
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

    [Benchmark(Description = "Preprocess 1280x720 BGR -> model input CHW")]
    public void Preprocess() => _model.Preprocess(_pixels, _width, _height, _stride, _slot);

    /// <summary>The picture for images and overlays (images.max_width 640), scaled on the inference thread beside the model input.</summary>
    [Benchmark(Description = "Picture 1280x720 -> 640x360 (OpenCV bilinear)")]
    public void Picture() => _picture.Resize(_pixels, _width, _height, _stride, 640, 360);

    /// <summary>The OpenCV resize alone (the content size of the letterbox), to split the preprocess cost.</summary>
    [Benchmark(Description = "Resize only (OpenCV bilinear, BGR bytes)")]
    public void ResizeOnly() => _resize.Resize(_pixels, _width, _height, _stride, _model.Input.Width, _model.Input.Width * _height / _width);
}
