using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// Decode of yolov8n-seg-int8-320's real outputs for a real Udacity frame (GlobalSetup runs the model once):
/// best class over 80 x 2100 scores, threshold, sort, class-aware NMS, box mapping and masks over each box.
/// The low threshold yields many more instances, to show how decode grows with the instance count.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class YoloSegDecodeBenchmarks
{
    private SegmentationModel _model = null!;
    private InferenceSlot _slot = null!;
    private DetectionSet _set = null!;

    [Params(0.25f, 0.02f)]
    public float Confidence { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = SegmentationModel.Load(
            new ModelOptions { Path = InferenceBenchmarkAssets.YoloSeg, ConfidenceThreshold = Confidence }, NullPipelineLog.Instance);
        _slot = _model.CreateSlot();
        _set = _model.CreateDetectionSet();
        using Mat frame = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 0);
        _model.Preprocess(frame.Data, frame.Width, frame.Height, checked((int)frame.Step()), _slot);
        _model.Run(_slot);
        _model.Decode(_slot, _set);
        int cells = 0;
        foreach (MaskGrid g in _set.Masks)
        {
            cells += g.CellCount;
        }
        Console.WriteLine($"// decode at confidence {Confidence}: {_set.Count} instances, {cells} mask cells");
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(Description = "YOLO-seg decode (real outputs)")]
    public int Decode()
    {
        _model.Decode(_slot, _set);
        return _set.Count;
    }
}
