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

    /// <summary>(b) <see cref="OverheadMs"/> by part (preprocess, decode, track, compose, encode): each part's own time, no queue waits.</summary>
    public required IReadOnlyDictionary<string, LatencySummary> WorkMs { get; init; }

    /// <summary>(b) Latency per stage: from the previous stage's stamp, so a stage's figure includes its wait in the queue before it.</summary>
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
