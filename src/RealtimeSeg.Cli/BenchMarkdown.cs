using System.Globalization;
using System.Text;
using RealtimeSeg.Pipeline.Bench;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary>bench.md: the run's figures as tables a person reads (and pastes into docs/benchmarks.md).</summary>
internal static class BenchMarkdown
{
    public static string Format(BenchReport r)
    {
        var s = new StringBuilder();
        CultureInfo inv = CultureInfo.InvariantCulture;
        s.AppendLine("# realtimeseg bench");
        s.AppendLine();
        s.AppendLine(inv, $"Model `{r.Model}` on {r.ExecutionProvider}, source `{r.Source}`, commit `{r.Commit}`.");
        s.AppendLine(inv, $"Machine: {r.Machine.Cpu}, {r.Machine.Cores} cores, {r.Machine.Os}, {r.Machine.Runtime}; load average {r.Machine.LoadAverage} (start → end).");
        s.AppendLine();
        s.AppendLine("## Budgets (DESIGN §7)");
        s.AppendLine();
        s.AppendLine("| budget | target | measured | |");
        s.AppendLine("| --- | --- | --- | --- |");
        foreach (BenchBudget b in r.Budgets)
        {
            s.AppendLine(inv, $"| {b.Name} | {b.Target} | {b.Measured:0.###} {b.Unit} | {(b.Verdict == "missed" ? "**missed**" : b.Verdict)} |");
        }
        s.AppendLine();
        s.AppendLine("## Throughput");
        s.AppendLine();
        s.AppendLine("| phase | frames/s |");
        s.AppendLine("| --- | --- |");
        s.AppendLine(inv, $"| (a) bare ONNX Runtime `Run` loop, pre-processed frames, bound I/O (run p50 {r.OrtRunMs.P50:0.00} ms, p99 {r.OrtRunMs.P99:0.00} ms) | {r.OrtOnlyFps:0.00} |");
        s.AppendLine(inv, $"| (b) whole pipeline, lockstep | {r.PipelineFps:0.00} |");
        s.AppendLine(inv, $"| ratio (b)/(a) | **{r.FpsRatio:0.000}** |");
        s.AppendLine();
        s.AppendLine("## Lockstep (b): per frame, ms");
        s.AppendLine();
        s.AppendLine("| | p50 | p90 | p99 | max |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        Row(s, "**pipeline work outside `Run` and decode**", r.OverheadMs);
        foreach ((string part, LatencySummary l) in r.WorkMs)
        {
            Row(s, "work: " + part, l);
        }
        foreach ((LatencyStage stage, LatencySummary l) in r.Stages)
        {
            Row(s, "stage latency: " + LatencyStageNames.Key(stage), l);
        }
        s.AppendLine();
        s.AppendLine("Work rows are each part's own time on its thread; stage latencies run from the previous stage's stamp, so they include the wait in the queue before the stage.");
        s.AppendLine();
        s.AppendLine(inv, $"Managed allocation {r.AllocBytesPerFrame:0.#} B/frame (whole process, after warm-up); gen2 collections {r.Gen2Collections}.");
        s.AppendLine();
        s.AppendLine("## Overload (c)");
        s.AppendLine();
        BenchOverload o = r.Overload;
        s.AppendLine(inv, $"{o.Description}: {o.FramesCaptured} captured, {o.FramesPublished} published, {o.FramesDropped} dropped (counted).");
        s.AppendLine(inv, $"Capture → publish p50 {o.CaptureToPublishMs.P50:0.0} ms, p99 {o.CaptureToPublishMs.P99:0.0} ms; inference p99 {o.InferenceP99Ms:0.0} ms; growth (p99 last third / first third) {o.Growth:0.00}; allocation {o.AllocBytesPerFrame:0.#} B/frame.");
        return s.ToString();
    }

    private static void Row(StringBuilder s, string name, LatencySummary l)
        => s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {l.P50:0.000} | {l.P90:0.000} | {l.P99:0.000} | {l.Max:0.000} |");
}
