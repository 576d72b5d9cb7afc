using BenchmarkDotNet.Attributes;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// The bundled demo model (models/realtimeseg-demo.onnx, input size from its metadata) on a 1280x720 synthetic-drive
/// frame: the letterbox into the input tensor, the bare ONNX Runtime run (the issue's ≤ 30 ms median budget, so the
/// 30 frames/s demo keeps up) and the decode of both heads (instances + semantic map), which the pipeline overlaps
/// with the next run — with configs/demo.yaml's NMS (0.3) and merge NMS (0.5), and with plain NMS for comparison.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class DemoModelBenchmarks
{
    private const int Width = 1280, Height = 720;

    private SegmentationModel _model = null!;
    private InferenceSlot _slot = null!;
    private SegmentationModel _plainNms = null!;
    private InferenceSlot _plainSlot = null!;
    private DetectionSet _detections = null!;
    private SemanticMap _semantic = null!;
    private byte[] _bgr = null!;

    [GlobalSetup]
    public unsafe void Setup()
    {
        string path = System.IO.Path.Combine(InferenceBenchmarkAssets.RepositoryRoot(), "models", "realtimeseg-demo.onnx");
        // The post-processing of configs/demo.yaml; the plain-NMS model is the same file without the merge.
        var options = new ModelOptions { Path = path, ConfidenceThreshold = 0.3f, IouThreshold = 0.3f, MergeIouThreshold = 0.5f };
        _model = SegmentationModel.Load(options, NullPipelineLog.Instance);
        _slot = _model.CreateSlot();
        _plainNms = SegmentationModel.Load(options with { MergeIouThreshold = null }, NullPipelineLog.Instance);
        _plainSlot = _plainNms.CreateSlot();
        _detections = _model.CreateDetectionSet();
        _semantic = _model.CreateSemanticMap() ?? throw new InvalidOperationException("the demo model has a semantic head");
        _bgr = GC.AllocateArray<byte>(Width * Height * 3, pinned: true);
        using (var scene = new SyntheticDriveScene(new SyntheticDriveOptions { Seed = 999, Width = Width, Height = Height }))
        {
            scene.Render(30, _bgr, Width * 3, groundTruth: null);
        }
        Preprocess();
        _model.Run(_slot);
        fixed (byte* p = _bgr)
        {
            _plainNms.Preprocess((IntPtr)p, Width, Height, Width * 3, _plainSlot);
        }
        _plainNms.Run(_plainSlot);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _plainNms.Dispose();
    }

    [Benchmark(Description = "Preprocess (1280x720 BGR → input tensor)")]
    public unsafe void Preprocess()
    {
        fixed (byte* p = _bgr)
        {
            _model.Preprocess((IntPtr)p, Width, Height, Width * 3, _slot);
        }
    }

    [Benchmark(Description = "Run (IoBinding)")]
    public void Run() => _model.Run(_slot);

    [Benchmark(Description = "Decode (instances + semantic map)")]
    public int Decode()
    {
        _model.Decode(_slot, _detections, _semantic);
        return _detections.Count;
    }

    [Benchmark(Description = "Decode, plain NMS (no merge)")]
    public int DecodePlainNms()
    {
        _plainNms.Decode(_plainSlot, _detections, _semantic);
        return _detections.Count;
    }
}
