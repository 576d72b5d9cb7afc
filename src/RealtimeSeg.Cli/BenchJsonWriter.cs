using System.Text.Json;
using RealtimeSeg.Pipeline.Bench;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary>bench.json: the figures of <see cref="BenchReport"/> with snake_case keys (docs/benchmarks.md lists them).</summary>
internal static class BenchJsonWriter
{
    public static void WriteFile(BenchReport r, string path)
    {
        string temp = path + ".tmp";
        using (FileStream fs = File.Create(temp))
        using (var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("ort_only_fps", r.OrtOnlyFps);
            w.WriteNumber("pipeline_fps", r.PipelineFps);
            w.WriteNumber("fps_ratio", Math.Round(r.FpsRatio, 4));
            Summary(w, "overhead_ms", r.OverheadMs);
            w.WriteStartObject("overhead_by_part_ms");
            foreach ((string part, LatencySummary l) in r.WorkMs)
            {
                Summary(w, part, l);
            }
            w.WriteEndObject();
            Summary(w, "ort_run_ms", r.OrtRunMs);
            w.WriteStartObject("stages_ms");
            foreach ((LatencyStage stage, LatencySummary l) in r.Stages)
            {
                Summary(w, LatencyStageNames.Key(stage), l);
            }
            w.WriteEndObject();
            Number(w, "alloc_bytes_per_frame", r.AllocBytesPerFrame);
            w.WriteNumber("gen2_collections", r.Gen2Collections);
            w.WriteStartObject("overload");
            w.WriteString("source", r.Overload.Description);
            w.WriteStartObject("capture_to_publish_ms");
            w.WriteNumber("p50", r.Overload.CaptureToPublishMs.P50);
            w.WriteNumber("p99", r.Overload.CaptureToPublishMs.P99);
            w.WriteNumber("count", r.Overload.CaptureToPublishMs.Count);
            w.WriteEndObject();
            w.WriteNumber("inference_p99_ms", Math.Round(r.Overload.InferenceP99Ms, 3));
            w.WriteNumber("growth", r.Overload.Growth);
            w.WriteNumber("frames_captured", r.Overload.FramesCaptured);
            w.WriteNumber("frames_published", r.Overload.FramesPublished);
            w.WriteNumber("frames_dropped", r.Overload.FramesDropped);
            Number(w, "alloc_bytes_per_frame", Math.Round(r.Overload.AllocBytesPerFrame, 1));
            w.WriteEndObject();
            w.WriteStartArray("budgets");
            foreach (BenchBudget b in r.Budgets)
            {
                w.WriteStartObject();
                w.WriteString("name", b.Name);
                w.WriteString("target", b.Target);
                Number(w, "measured", b.Measured);
                w.WriteString("unit", b.Unit);
                if (b.Measurable)
                {
                    w.WriteBoolean("met", b.Met);
                }
                else
                {
                    w.WriteNull("met"); // nothing to judge (the phase never passed warm-up)
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("machine");
            w.WriteString("cpu", r.Machine.Cpu);
            w.WriteNumber("cores", r.Machine.Cores);
            w.WriteString("os", r.Machine.Os);
            w.WriteString("runtime", r.Machine.Runtime);
            w.WriteString("load_average", r.Machine.LoadAverage);
            w.WriteEndObject();
            w.WriteString("model", r.Model);
            w.WriteString("source", r.Source);
            w.WriteString("execution_provider", r.ExecutionProvider);
            w.WriteString("commit", r.Commit);
            w.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A figure, or null when it was not measured (NaN: the phase never got past warm-up).</summary>
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Summary(Utf8JsonWriter w, string name, LatencySummary l)
    {
        w.WriteStartObject(name);
        w.WriteNumber("p50", l.P50);
        w.WriteNumber("p90", l.P90);
        w.WriteNumber("p99", l.P99);
        w.WriteNumber("max", l.Max);
        w.WriteNumber("count", l.Count);
        w.WriteEndObject();
    }
}
