using System.Buffers;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace RealtimeSeg.Pipeline.Stats;

/// <summary>Writes a <see cref="PipelineReport"/> as the <c>--stats</c> JSON of DESIGN §5 (snake_case keys).</summary>
public static class StatsJsonWriter
{
    /// <param name="report">The figures.</param>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="writtenUnixMs">When it is written (UTC, ms since 1970): <c>written_unix_ms</c>, which tells a reader how
    /// old a file rewritten every second is (null: now).</param>
    public static void Write(PipelineReport report, Stream output, long? writtenUnixMs = null)
    {
        using var w = new Utf8JsonWriter(output, Options);
        Write(report, w, writtenUnixMs);
    }

    /// <summary>The writer options of the file: indented, so a person can read it.</summary>
    public static JsonWriterOptions Options { get; } = new() { Indented = true };

    /// <summary>As <see cref="Write(PipelineReport, Stream, long?)"/> into a writer the caller reuses (and flushes).</summary>
    public static void Write(PipelineReport report, Utf8JsonWriter w, long? writtenUnixMs = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        // "running": a snapshot the run rewrites every second (after kill -9, its last one); "final": written at its end.
        w.WriteString("state", report.Running ? "running" : "final");
        w.WriteNumber("written_unix_ms", writtenUnixMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        w.WriteNumber("frames_captured", report.FramesCaptured);
        w.WriteNumber("frames_processed", report.FramesProcessed);
        w.WriteNumber("frames_published", report.FramesPublished);
        w.WriteNumber("frames_dropped", report.FramesDropped);
        w.WriteNumber("frames_in_flight", report.FramesInFlight);
        w.WriteStartArray("streams");
        foreach (StreamCounters s in report.Streams)
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteNumber("frames_captured", s.FramesCaptured);
            w.WriteNumber("frames_processed", s.FramesProcessed);
            w.WriteNumber("frames_published", s.FramesPublished);
            w.WriteNumber("frames_dropped", s.FramesDropped);
            w.WriteNumber("frames_dropped_after_processing", s.FramesDroppedAfterProcessing);
            w.WriteNumber("frames_in_flight", s.FramesInFlight);
            w.WriteNumber("frames_corrupt", s.FramesCorrupt);
            w.WriteNumber("frames_copied", s.FramesCopied);
            w.WriteNumber("reconnects", s.Reconnects);
            w.WriteNumber("connect_failures", s.ConnectFailures);
            w.WriteNumber("frames_missing", s.FramesMissing);
            w.WriteString("uri", s.Uri);
            w.WriteStartObject("latency_ms");
            WriteLatency(w, "capture_to_publish", s.CaptureToPublish);
            w.WriteEndObject();
            if (s.Error is not null)
            {
                w.WriteString("error", s.Error);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("sinks");
        foreach (SinkCounters s in report.Sinks)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteNumber("frames_offered", s.FramesOffered);
            w.WriteNumber("frames_dropped", s.FramesDropped);
            w.WriteNumber("queue_capacity", s.QueueCapacity);
            if (s.Error is not null)
            {
                w.WriteString("error", s.Error);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("latency_ms");
        foreach (LatencyStage stage in Enum.GetValues<LatencyStage>())
        {
            LatencySummary l = report.Latency.TryGetValue(stage, out LatencySummary v) ? v : default;
            WriteLatency(w, LatencyStageNames.Key(stage), l);
        }
        w.WriteEndObject();
        WriteLatency(w, "pipeline_work_ms", report.PipelineWork);
        w.WriteStartArray("latency_windows");
        foreach (LatencyWindow window in report.LatencyWindows)
        {
            w.WriteStartObject();
            w.WriteNumber("start_s", window.StartSeconds);
            w.WriteNumber("end_s", window.EndSeconds);
            WriteLatency(w, "capture_to_publish", window.Latency);
            WriteLatency(w, "inference", window.Inference);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("throughput_fps", Math.Round(report.ThroughputFps, 3));
        w.WriteNumber("elapsed_s", Math.Round(report.ElapsedSeconds, 3));
        w.WriteNumber("managed_alloc_bytes_per_frame", Math.Round(report.ManagedAllocBytesPerFrame, 1));
        w.WriteNumber("gc_gen2_collections", report.GcGen2Collections);
        w.WriteNumber("working_set_bytes", report.WorkingSetBytes);
        w.WriteNumber("managed_heap_bytes", report.ManagedHeapBytes);
        w.WriteString("execution_provider", report.ExecutionProvider);
        w.WriteString("publish_authentication", report.PublishAuthentication);
        w.WriteStartArray("warnings");
        foreach (string warning in report.Warnings)
        {
            w.WriteStringValue(warning);
        }
        w.WriteEndArray();
        w.WriteStartArray("models");
        foreach (ModelSummary m in report.Models)
        {
            w.WriteStartObject();
            w.WriteString("path", m.Path);
            w.WriteString("decoder", m.Decoder);
            w.WriteString("input", m.Input);
            w.WriteString("execution_provider", m.ExecutionProvider);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter w, string name, LatencySummary l)
    {
        w.WriteStartObject(name);
        w.WriteNumber("p50", l.P50);
        w.WriteNumber("p90", l.P90);
        w.WriteNumber("p99", l.P99);
        w.WriteNumber("max", l.Max);
        w.WriteNumber("count", l.Count);
        w.WriteEndObject();
    }

    public static void WriteFile(PipelineReport report, string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        // Write then rename, so a reader never sees half a file.
        string temp = path + ".tmp";
        using (FileStream fs = File.Create(temp))
        {
            Write(report, fs);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// As <see cref="WriteFile(PipelineReport, string)"/> for a file rewritten every second: the JSON goes through the
    /// caller's reused buffer and writer, then to the file in one write, so a rewrite allocates little besides the report.
    /// </summary>
    public static void WriteFile(PipelineReport report, string path, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(writer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(report, writer);
        writer.Flush();
        string temp = path + ".tmp";
        using (SafeFileHandle file = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(file, buffer.WrittenSpan, 0);
        }
        File.Move(temp, path, overwrite: true);
    }
}
