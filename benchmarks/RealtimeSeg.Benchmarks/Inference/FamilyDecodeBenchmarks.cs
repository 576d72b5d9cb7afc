using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// Decode alone (GlobalSetup runs each model once on a real frame) for the families added beside yolo-seg:
/// YOLOX grid decode, semantic arg-max of the two semantic asset models (NHWC: 512x896x4 probabilities and
/// 257x257x21 logits), and the small Mask R-CNN export, whose outputs are fetched per run.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class FamilyDecodeBenchmarks
{
    private SegmentationModel _model = null!;
    private InferenceSlot _slot = null!;
    private DetectionSet _set = null!;
    private SemanticMap? _map;

    [Params("yolox-nano-416", "road-segmentation-adas-0001", "deeplabv3-mobilenetv2-voc-257", "maskrcnn-small-160")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string path = Model == "maskrcnn-small-160"
            ? System.IO.Path.Combine(InferenceBenchmarkAssets.RepositoryRoot(), "tests", "data", "decoders", "maskrcnn-small-160.onnx")
            : InferenceBenchmarkAssets.Path($"models/{Model}.onnx");
        _model = SegmentationModel.Load(new ModelOptions { Path = path, ConfidenceThreshold = Model.StartsWith("maskrcnn", StringComparison.Ordinal) ? 0f : 0.25f }, NullPipelineLog.Instance);
        _slot = _model.CreateSlot();
        _set = _model.CreateDetectionSet();
        _map = _model.CreateSemanticMap();
        using Mat frame = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 0);
        _model.Preprocess(frame.Data, frame.Width, frame.Height, checked((int)frame.Step()), _slot);
        _model.Run(_slot);
        _model.Decode(_slot, _set, _map);
        Console.WriteLine($"// {Model}: decoder {_model.DecoderName}, {_set.Count} instances, map {_map?.Width ?? 0}x{_map?.Height ?? 0}");
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(Description = "decode (real outputs)")]
    public int Decode()
    {
        _model.Decode(_slot, _set, _map);
        return _set.Count;
    }
}
