using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Benchmarks.Inference;

/// <summary>
/// configs/drive-panoptic.yaml (YOLOv8n-seg 320 things + road-segmentation-adas 896x512 stuff) on a real 960x540
/// highway frame: both models side by side as the pipeline runs them (<see cref="ModelRunner"/>, the second model on
/// its own thread; with the config's intra-op threads and with one thread each) against the same two models one after
/// the other on one thread (<c>pipeline.concurrent_models: false</c>; with the config's threads and with every core for
/// each model) — and the decode + merge.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class FusionBenchmarks
{
    private ModelSet _configured = null!;
    private ModelSet _allCores = null!;
    private ModelSet _oneEach = null!;
    private ModelRunner _runner = null!;
    private ModelRunner _sequential = null!;
    private ModelRunner _oneEachRunner = null!;
    private WorkItem _oneEachWork = null!;
    private WorkItem _work = null!;
    private WorkItem _allCoresWork = null!;
    private Mat _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        string assets = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(InferenceBenchmarkAssets.YoloSeg))!;
        var loader = new PipelineConfigLoader(name => name == "REALTIMESEG_ASSETS" ? assets : Environment.GetEnvironmentVariable(name));
        PipelineConfig config = loader.Load(System.IO.Path.Combine(InferenceBenchmarkAssets.RepositoryRoot(), "configs", "drive-panoptic.yaml"));
        loader.Validate(config);
        _configured = ModelSet.Load(config, NullPipelineLog.Instance);
        _allCores = ModelSet.Load(config with { Models = [.. config.Models!.Select(m => m with { IntraOpThreads = 0 })] }, NullPipelineLog.Instance);
        _oneEach = ModelSet.Load(config with { Models = [.. config.Models!.Select(m => m with { IntraOpThreads = 1 })] }, NullPipelineLog.Instance);
        _runner = new ModelRunner(_configured);
        _sequential = new ModelRunner(_configured, concurrent: false);
        _oneEachRunner = new ModelRunner(_oneEach);
        _oneEachWork = new WorkItem(_oneEach);
        _work = new WorkItem(_configured);
        _allCoresWork = new WorkItem(_allCores);
        _frame = InferenceBenchmarkAssets.ReadFrame(InferenceBenchmarkAssets.Path("videos/udacity-highway-960x540.mp4"), 60);
        Concurrent();
        _runner.Decode(_work);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner.Dispose();
        _sequential.Dispose();
        _oneEachRunner.Dispose();
        _oneEachWork.Dispose();
        _oneEach.Dispose();
        _work.Dispose();
        _allCoresWork.Dispose();
        _configured.Dispose();
        _allCores.Dispose();
        _frame.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Both models side by side (ModelRunner, config threads 1+2)")]
    public void Concurrent()
    {
        _runner.Preprocess(_frame.Data, _frame.Width, _frame.Height, (int)_frame.Step(), _work);
        _runner.Run(_work);
    }

    [Benchmark(Description = "Both models side by side (1+1 threads)")]
    public void ConcurrentOneThreadEach()
    {
        _oneEachRunner.Preprocess(_frame.Data, _frame.Width, _frame.Height, (int)_frame.Step(), _oneEachWork);
        _oneEachRunner.Run(_oneEachWork);
    }

    [Benchmark(Description = "One after the other (ModelRunner concurrent: false, config threads 1+2)")]
    public void SequentialConfigured()
    {
        _sequential.Preprocess(_frame.Data, _frame.Width, _frame.Height, (int)_frame.Step(), _work);
        _sequential.Run(_work);
    }

    [Benchmark(Description = "One after the other (all cores each)")]
    public void SequentialAllCores() => Sequential(_allCores, _allCoresWork);

    [Benchmark(Description = "Decode both + merge")]
    public int DecodeAndMerge()
    {
        _runner.Decode(_work);
        return _work.Detections.Count;
    }

    private void Sequential(ModelSet set, WorkItem work)
    {
        for (int i = 0; i < set.Models.Length; i++)
        {
            set.Models[i].Preprocess(_frame.Data, _frame.Width, _frame.Height, (int)_frame.Step(), work.Slots[i]);
            set.Models[i].Run(work.Slots[i]);
        }
    }
}
