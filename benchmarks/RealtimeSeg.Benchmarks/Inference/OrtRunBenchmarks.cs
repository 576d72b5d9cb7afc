using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// The bare ONNX Runtime run of yolov8n-seg-int8-320 on a real preprocessed frame: the reference the pipeline's
/// throughput is compared with. <c>Run</c> is what the pipeline calls (I/O binding over pre-made OrtValues);
/// <c>SessionRunOrtValues</c> is <c>session.Run(runOptions, names, values, names, values)</c> over the same
/// OrtValues, kept to show what that API allocates per call.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class OrtRunBenchmarks
{
    private SegmentationModel _model = null!;
    private InferenceSlot _slot = null!;
    private RunOptions _runOptions = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private OrtValue[] _inputs = null!;
    private OrtValue[] _outputs = null!;

    /// <summary>ONNX Runtime's idle-thread spinning (off by default in <see cref="ModelOptions"/>).</summary>
    [Params(false, true)]
    public bool AllowSpinning { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = SegmentationModel.Load(
            new ModelOptions { Path = InferenceBenchmarkAssets.YoloSeg, AllowSpinning = AllowSpinning }, NullPipelineLog.Instance);
        _slot = _model.CreateSlot();
        using Mat frame = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.UdacityCars, 0);
        _model.Preprocess(frame.Data, frame.Width, frame.Height, checked((int)frame.Step()), _slot);
        _runOptions = new RunOptions();
        _inputNames = [_model.Input.Name];
        _outputNames = ["output0", "output1"];
        _inputs = [_slot.InputTensor.Value];
        _outputs = [_slot.OutputTensor(0)!.Value, _slot.OutputTensor(1)!.Value];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runOptions.Dispose();
        _model.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Run (IoBinding, pipeline path)")]
    public void Run() => _model.Run(_slot);

    [Benchmark(Description = "session.Run(OrtValue lists)")]
    public void SessionRunOrtValues() => _model.Session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
}
