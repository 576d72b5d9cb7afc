using System.Text.Json;
using RealtimeSeg.Pipeline.Bench;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>realtimeseg bench</c> end to end on the bundled model and the synthetic drive, short: what it writes, not how fast (figures belong in docs/benchmarks.md).</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Bench_ShortRun_WritesJsonWithEveryFigureMarkdownWithTheBudgetsAndARealPlot()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"rseg-bench-{Guid.NewGuid():N}");
        try
        {
            (int exit, string stdout, string stderr) = CliProcess.Run(TimeSpan.FromMinutes(5), "bench", "--frames", "45", "--duration", "5",
                "--source", "synthetic:drive?seed=2&size=640x360&fps=30", "--out", dir, "--quiet");

            Assert.True(exit == 0, $"exit {exit}; stderr:\n{stderr}");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "bench.json")));
            JsonElement r = doc.RootElement;
            Assert.True(r.GetProperty("ort_only_fps").GetDouble() > 0);
            Assert.True(r.GetProperty("pipeline_fps").GetDouble() > 0);
            double ratio = r.GetProperty("fps_ratio").GetDouble();
            Assert.Equal(r.GetProperty("pipeline_fps").GetDouble() / r.GetProperty("ort_only_fps").GetDouble(), ratio, 2);
            foreach (string p in new[] { "p50", "p90", "p99" })
            {
                Assert.True(r.GetProperty("overhead_ms").GetProperty(p).GetDouble() > 0, p);
            }
            Assert.Equal(15, r.GetProperty("overhead_ms").GetProperty("count").GetInt64()); // 45 frames, 30 warm up
            Assert.True(r.GetProperty("stages_ms").GetProperty("inference").GetProperty("p50").GetDouble() > 0);
            JsonElement parts = r.GetProperty("overhead_by_part_ms");
            foreach (string part in new[] { "preprocess", "decode", "track", "compose", "encode" })
            {
                Assert.Equal(15, parts.GetProperty(part).GetProperty("count").GetInt64());
                Assert.True(parts.GetProperty(part).GetProperty("p50").GetDouble() <= r.GetProperty("overhead_ms").GetProperty("max").GetDouble(), part);
            }
            Assert.True(parts.GetProperty("preprocess").GetProperty("p50").GetDouble() > 0, "a 1280x720 frame letterboxed in no time");
            Assert.True(r.TryGetProperty("alloc_bytes_per_frame", out _));
            Assert.True(r.TryGetProperty("gen2_collections", out _));
            JsonElement overload = r.GetProperty("overload");
            Assert.True(overload.GetProperty("capture_to_publish_ms").GetProperty("p99").GetDouble() > 0);
            Assert.True(overload.GetProperty("inference_p99_ms").GetDouble() > 0);
            Assert.True(overload.GetProperty("growth").GetDouble() > 0);
            Assert.True(overload.GetProperty("frames_dropped").GetInt64() > 0, "the overload phase outran inference");
            Assert.Equal(8, r.GetProperty("budgets").GetArrayLength());
            Assert.Equal("CPUExecutionProvider", r.GetProperty("execution_provider").GetString());
            Assert.Equal("realtimeseg-demo.onnx", r.GetProperty("model").GetString());
            Assert.NotEqual("unknown", r.GetProperty("commit").GetString());
            Assert.Contains("## Budgets", File.ReadAllText(Path.Combine(dir, "bench.md")), StringComparison.Ordinal);
            byte[] png = File.ReadAllBytes(Path.Combine(dir, "bench.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.True(png.Length > 20_000, $"bench.png is {png.Length} bytes: not a drawn plot");
            Assert.Contains("fps_ratio", stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Budget_WithNothingMeasured_IsNeitherMetNorMissed()
    {
        // A phase that never passes warm-up (a loaded machine, a short --duration) measures NaN bytes per frame.
        var unmeasured = new BenchBudget("managed allocation per frame (overload)", "≤ 1024 B", double.NaN, "B", Met: false);
        var missed = new BenchBudget("managed allocation per frame (overload)", "≤ 1024 B", 2048, "B", false);

        Assert.Equal("not measured", unmeasured.Verdict);
        Assert.False(unmeasured.Measurable);
        Assert.Equal("missed", missed.Verdict);
    }
}
