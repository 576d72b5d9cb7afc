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
    private Mat _frame = null!;
    private IntPtr _pixels;
    private int _width, _height, _stride;
    private readonly RealtimeSeg.Inference.Preprocessing.ResizeBuffer _resize = new();
    private readonly RealtimeSeg.Inference.Preprocessing.ResizeBuffer _picture = new();

    [Params("yolov8n-seg-320", "bundled-1024x576")]
    public string Model { get; set; } = "";

    /// <summary>
    /// hot: one frame into one slot, over and over (both stay in the caches); cold: as in the pipeline, each call a
    /// different frame (8, 22 MB) into a different slot (4 work items, 28 MB), so source and tensor come from memory.
    /// </summary>
    [Params("hot", "cold")]
    public string Memory { get; set; } = "";

    private Mat[] _frames = [];
    private InferenceSlot[] _slots = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        string path = Model == "bundled-1024x576"
            ? System.IO.Path.Combine(InferenceBenchmarkAssets.RepositoryRoot(), "models", "realtimeseg-demo.onnx")
            : InferenceBenchmarkAssets.YoloSeg;
        _model = SegmentationModel.Load(new ModelOptions { Path = path }, NullPipelineLog.Instance);
        _frame = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 0);
        (_pixels, _width, _height, _stride) = (_frame.Data, _frame.Width, _frame.Height, checked((int)_frame.Step()));
        int copies = Memory == "cold" ? 8 : 1;
        _frames = Enumerable.Range(0, copies).Select(_ => _frame.Clone()).ToArray();
        _slots = Enumerable.Range(0, Memory == "cold" ? 4 : 1).Select(_ => _model.CreateSlot()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (InferenceSlot slot in _slots)
        {
            slot.Dispose();
        }
        _model.Dispose();
        _frame.Dispose();
        foreach (Mat frame in _frames)
        {
            frame.Dispose();
        }
    }

    [Benchmark(Description = "Preprocess 1280x720 BGR -> model input CHW")]
    public void Preprocess()
    {
        int i = _next++;
        _model.Preprocess(_frames[i % _frames.Length].Data, _width, _height, _stride, _slots[i % _slots.Length]);
    }

    /// <summary>The picture for images and overlays (images.max_width 640), scaled on the inference thread beside the model input.</summary>
    [Benchmark(Description = "Picture 1280x720 -> 640x360 (OpenCV bilinear)")]
    public void Picture() => _picture.Resize(_frames[_next++ % _frames.Length].Data, _width, _height, _stride, 640, 360);

    /// <summary>The OpenCV resize alone (the content size of the letterbox), to split the preprocess cost.</summary>
    [Benchmark(Description = "Resize only (OpenCV bilinear, BGR bytes)")]
    public void ResizeOnly() => _resize.Resize(_frames[_next++ % _frames.Length].Data, _width, _height, _stride, _model.Input.Width, _model.Input.Width * _height / _width);
}
