using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Bench;

/// <summary>The figures of one <c>realtimeseg bench</c> run (written as bench.json, bench.md and bench.png).</summary>
public sealed record BenchReport
{
    public required BenchMachine Machine { get; init; }
    public required string Model { get; init; }
    public required string Source { get; init; }
    public required string ExecutionProvider { get; init; }
    public required string Commit { get; init; }

    /// <summary>(a) Bare ONNX Runtime <c>Run</c> loop on pre-decoded, pre-processed frames with bound I/O: the ceiling.</summary>
    public required double OrtOnlyFps { get; init; }
    public required LatencySummary OrtRunMs { get; init; }

    /// <summary>(b) The whole pipeline, every frame processed (lockstep).</summary>
    public required double PipelineFps { get; init; }

    /// <summary>(b) / (a).</summary>
    public double FpsRatio => OrtOnlyFps > 0 ? PipelineFps / OrtOnlyFps : 0;

    /// <summary>(b) Per-frame pipeline work outside ORT <c>Run</c> and video decode.</summary>
    public required LatencySummary OverheadMs { get; init; }

    /// <summary>(b) Latency per stage.</summary>
    public required IReadOnlyDictionary<LatencyStage, LatencySummary> Stages { get; init; }

    /// <summary>(b) Managed bytes the whole process allocated per frame after warm-up.</summary>
    public required double AllocBytesPerFrame { get; init; }

    /// <summary>Gen2 collections during (b) and (c) after their warm-up.</summary>
    public required int Gen2Collections { get; init; }

    public required BenchOverload Overload { get; init; }

    /// <summary>Per-frame series for the plot: (b) overhead, (c) capture → publish, inference and queue wait, in time order.</summary>
    public required BenchSeries Series { get; init; }

    /// <summary>Each budget of DESIGN §7 this run can judge, met or missed.</summary>
    public required IReadOnlyList<BenchBudget> Budgets { get; init; }
}

/// <summary>(c): the source outruns inference for a while.</summary>
/// <param name="Description">How the source was driven (e.g. realtime at 120 fps).</param>
/// <param name="CaptureToPublishMs">Capture → publish of the published frames.</param>
/// <param name="InferenceP99Ms">The model run's 99th percentile in the same frames.</param>
/// <param name="Growth">Capture → publish p99 of the last third of the run over that of the first third.</param>
/// <param name="FramesCaptured">Frames the source produced.</param>
/// <param name="FramesPublished">Frames published.</param>
/// <param name="FramesDropped">Frames dropped (counted).</param>
public sealed record BenchOverload(string Description, LatencySummary CaptureToPublishMs, double InferenceP99Ms, double Growth,
    long FramesCaptured, long FramesPublished, long FramesDropped, double AllocBytesPerFrame);

/// <summary>Where the figures were taken.</summary>
public sealed record BenchMachine(string Cpu, int Cores, string Os, string Runtime, string LoadAverage);

/// <summary>One budget: what was measured against what DESIGN §7 allows.</summary>
public sealed record BenchBudget(string Name, string Target, double Measured, string Unit, bool Met);

/// <summary>Per-frame series, in ms, against seconds since the phase began.</summary>
public sealed record BenchSeries(double[] OverheadSeconds, double[] OverheadMs, double[] OverloadSeconds, double[] CaptureToPublishMs, double[] InferenceMs, double[] QueueWaitMs);
