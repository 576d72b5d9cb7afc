using BenchmarkDotNet.Attributes;
using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Benchmarks.Evaluation;

/// <summary>
/// MOT evaluation of the real TUD-Stadtmitte tracker output (179 frames, 1156 gt boxes, 749 predicted boxes):
/// reading both files, the whole evaluation (preprocessing + HOTA + CLEAR + Identity), and each metric alone on
/// preprocessed data. Offline tool: the target is "well under a second", not zero allocation.
/// </summary>
[MemoryDiagnoser]
public class MotEvaluationBenchmarks
{
    private string _gtPath = "";
    private string _predPath = "";
    private MotSequence _gt = null!;
    private MotSequence _pred = null!;
    private MotEvalData _data = null!;
    private LinearSumAssignment _lsa = null!;

    [GlobalSetup]
    public void Setup()
    {
        _gtPath = MotBenchmarkAssets.Path("tracking/TUD-Stadtmitte/gt.txt");
        _predPath = MotBenchmarkAssets.Path("tracking/TUD-Stadtmitte/tracker-output.txt");
        _gt = MotTextReader.ReadFile(_gtPath);
        _pred = MotTextReader.ReadFile(_predPath);
        _lsa = new LinearSumAssignment();
        _data = MotPreprocessor.Prepare(_gt, _pred, MotBenchmarkRules.Auto, _lsa, pedestrianOnly: true);
    }

    [Benchmark]
    public int ReadFiles() => MotTextReader.ReadFile(_gtPath).Records.Count + MotTextReader.ReadFile(_predPath).Records.Count;

    [Benchmark(Baseline = true)]
    public double Evaluate() => MotEvaluator.Evaluate(_gt, _pred).Hota;

    [Benchmark]
    public double HotaOnly() => HotaMetric.Evaluate(_data, _lsa).Hota[0];

    [Benchmark]
    public double ClearOnly() => ClearMetric.Evaluate(_data, _lsa).Mota;

    [Benchmark]
    public double IdentityOnly() => IdentityMetric.Evaluate(_data, _lsa).Idf1;
}
