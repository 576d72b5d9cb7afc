using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Bench;

/// <summary>
/// <c>realtimeseg bench</c>: one model on one source, in one process, three phases in a row so that their figures share
/// the machine's state:
/// <list type="number">
/// <item>(a) the ceiling: ONNX Runtime's <c>Run</c> in a loop on frames decoded and preprocessed beforehand, with
/// the pipeline's own bound inputs and outputs — nothing but the model;</item>
/// <item>(b) the whole pipeline with every frame processed (lockstep): its throughput against (a), and per frame the
/// pipeline's own work outside <c>Run</c> and video decode (preprocess, decode, track, compose, encode);</item>
/// <item>(c) the whole pipeline with the source outrunning inference for a while: capture → publish latency against
/// the model's, and whether it grows.</item>
/// </list>
/// Measurements never run per frame on the hot path beyond copying the stamps the pipeline takes anyway; allocation and
/// gen2 collections are sampled once at the end of warm-up and once at the end of a phase.
/// </summary>
public static class PipelineBench
{
    /// <summary>Distinct pre-processed frames the ceiling cycles through.</summary>
    private const int CeilingFrames = 4;

    public static async Task<BenchReport> RunAsync(BenchOptions options, IPipelineLog log, string commit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        PipelineConfig config = options.Config with
        {
            Sources = [options.Config.Sources[0]],
            Publish = options.Config.Publish with { Endpoint = "tcp://127.0.0.1:*" },
            Pipeline = options.Config.Pipeline with { WaitForSubscriber = TimeSpan.Zero, DumpMot = null, DumpPanoptic = null, DumpDetections = null },
        };
        string loadBefore = LoadAverage();

        log.Info($"bench (a): bare ONNX Runtime Run loop, {options.Frames} runs after {options.WarmUpFrames} warm-up");
        Ceiling ceiling = await MeasureCeilingAsync(config, options, log, ct).ConfigureAwait(false);

        log.Info($"bench (b): whole pipeline in lockstep, {options.Frames} frames");
        PipelineConfig lockstep = config with { Pipeline = config.Pipeline with { Pace = Pacing.Lockstep, MaxFrames = options.Frames } };
        var probeB = new BenchProbe(options.Frames, options.WarmUpFrames);
        (PipelineReport reportB, string model, string provider) = await RunPipelineAsync(lockstep, probeB, log, TimeSpan.Zero, ct).ConfigureAwait(false);
        if (probeB.Count < options.Frames)
        {
            throw new InvalidOperationException($"the lockstep phase published {probeB.Count} of {options.Frames} frames (the source ended early? {reportB.FramesCaptured} captured); choose a longer source or fewer --frames");
        }
        double pipelineFps = ThroughputAfterWarmUp(probeB, options.WarmUpFrames);

        (PipelineConfig overload, string description) = Overloaded(config, pipelineFps);
        log.Info($"bench (c): overload for {options.Duration.TotalSeconds:0.#} s, {description}");
        int capacity = (int)Math.Min(2_000_000, (options.Duration.TotalSeconds * 500) + 1000);
        var probeC = new BenchProbe(capacity, options.WarmUpFrames);
        (PipelineReport reportC, _, _) = await RunPipelineAsync(overload, probeC, log, options.Duration, ct).ConfigureAwait(false);

        return Summarize(options, ceiling, probeB, reportB, pipelineFps, probeC, reportC, description, model, provider, commit, loadBefore);
    }

    private sealed record Ceiling(double Fps, LatencySummary RunMs);

    /// <summary>(a): decodes and preprocesses a few frames of the source first, then only runs the model on them, on a thread of its own.</summary>
    private static async Task<Ceiling> MeasureCeilingAsync(PipelineConfig config, BenchOptions options, IPipelineLog log, CancellationToken ct)
    {
        using ModelSet models = ModelSet.Load(config, log);
        using var runner = new ModelRunner(models, config.Pipeline.ConcurrentModels);
        var work = new WorkItem[CeilingFrames];
        try
        {
            for (int i = 0; i < work.Length; i++)
            {
                work[i] = new WorkItem(models);
            }
            await PreprocessFramesAsync(config, runner, work, log, ct).ConfigureAwait(false);
            long[] runNs = new long[options.Frames];
            long elapsed = await DedicatedThread.Run("rseg-bench-ceiling", () =>
            {
                for (int i = 0; i < options.WarmUpFrames; i++)
                {
                    runner.Run(work[i % work.Length]);
                }
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < runNs.Length && !ct.IsCancellationRequested; i++)
                {
                    long before = Stopwatch.GetTimestamp();
                    runner.Run(work[i % work.Length]);
                    runNs[i] = (long)Stopwatch.GetElapsedTime(before).TotalNanoseconds;
                }
                return (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            }).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new Ceiling(runNs.Length / (elapsed / 1e9), Summary(runNs));
        }
        finally
        {
            foreach (WorkItem? w in work)
            {
                w?.Dispose();
            }
        }
    }

    /// <summary>Reads the source's first frames into slots and letterboxes each into one work item's model inputs.</summary>
    private static async Task PreprocessFramesAsync(PipelineConfig config, ModelRunner runner, WorkItem[] work, IPipelineLog log, CancellationToken ct)
    {
        using IFrameSource source = FrameSourceFactory.Open(config.Sources[0].Uri, 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = work.Length }, log);
        int bytes = source.Width > 0 ? FramePool.BytesForBgr(source.Width, source.Height) : FramePool.BytesForBgr(3840, 2160);
        using var pool = new FramePool(work.Length + 2, bytes);
        var frames = new HandOff<FrameLease>(work.Length + 1, HandOffMode.Wait, static lease => lease.Dispose());
        Task capture = source.RunAsync(pool, frames.Writer, ct);
        int n = 0;
        try
        {
            await foreach (FrameLease lease in frames.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                using (lease)
                {
                    runner.Preprocess(lease.Pointer, lease.Width, lease.Height, lease.Stride, work[n++]);
                }
            }
            await capture.ConfigureAwait(false);
        }
        finally
        {
            frames.DrainAndRelease();
        }
        if (n < work.Length)
        {
            throw new SourceUnavailableException(config.Sources[0].Uri, $"bench needs at least {work.Length} frames from the source; it gave {n}");
        }
    }

    /// <summary>(b) and (c): the real pipeline with the probe as one more sink; (c) stops after <paramref name="duration"/>.</summary>
    private static async Task<(PipelineReport Report, string Model, string Provider)> RunPipelineAsync(PipelineConfig config, BenchProbe probe, IPipelineLog log,
        TimeSpan duration, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using SegmentationPipeline pipeline = await SegmentationPipeline.CreateAsync(config, log, new PipelineHostOptions { Sinks = [probe] }, ct).ConfigureAwait(false);
        Task<PipelineReport> run = pipeline.RunAsync(stop.Token);
        if (duration > TimeSpan.Zero)
        {
            // The duration counts from the first frame, not from the model's warm-up.
            await Task.WhenAny(pipeline.Started, run).ConfigureAwait(false);
            stop.CancelAfter(duration);
        }
        PipelineReport report = await run.ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        string model = string.Join(" + ", report.Models.Select(m => Path.GetFileName(m.Path)));
        return (report, model, pipeline.ExecutionProvider);
    }

    /// <summary>
    /// (c)'s source: a synthetic drive is played in real time at twice the rate the pipeline sustained in (b) (at least
    /// 60 fps), like a camera faster than the model; any other source is read as fast as it decodes.
    /// </summary>
    private static (PipelineConfig Config, string Description) Overloaded(PipelineConfig config, double pipelineFps)
    {
        SourceConfig source = config.Sources[0];
        if (source.Uri.StartsWith("synthetic:", StringComparison.Ordinal))
        {
            double fps = Math.Min(1000, Math.Max(60, Math.Ceiling(pipelineFps * 2)));
            string uri = WithQueryParameter(source.Uri, "fps", fps.ToString(CultureInfo.InvariantCulture));
            return (config with { Sources = [source with { Uri = uri }], Pipeline = config.Pipeline with { Pace = Pacing.Realtime, MaxFrames = 0 } },
                string.Create(CultureInfo.InvariantCulture, $"synthetic drive in real time at {fps:0} fps (2 × the lockstep rate)"));
        }
        return (config with { Pipeline = config.Pipeline with { Pace = Pacing.Max, MaxFrames = 0 } }, "source read as fast as it decodes (pace max)");
    }

    internal static string WithQueryParameter(string uri, string name, string value)
    {
        int q = uri.IndexOf('?', StringComparison.Ordinal);
        string path = q < 0 ? uri : uri[..q];
        var parts = new List<string>();
        if (q >= 0)
        {
            foreach (string part in uri[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!part.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    parts.Add(part);
                }
            }
        }
        parts.Add(name + "=" + value);
        return path + "?" + string.Join('&', parts);
    }

    private static double ThroughputAfterWarmUp(BenchProbe probe, int warmUp)
    {
        int last = probe.Count - 1;
        long from = probe.Stamps(warmUp)[(int)PipelineStage.Published];
        long to = probe.Stamps(last)[(int)PipelineStage.Published];
        return to > from ? (last - warmUp) / ((to - from) / 1e9) : 0;
    }

    private static BenchReport Summarize(BenchOptions options, Ceiling ceiling, BenchProbe b, PipelineReport reportB, double pipelineFps,
        BenchProbe c, PipelineReport reportC, string overloadDescription, string model, string provider, string commit, string loadBefore)
    {
        int w = options.WarmUpFrames;
        var latencyB = new LatencyRecorder();
        var overhead = new long[b.Count - w];
        var overheadSeconds = new double[overhead.Length];
        var overheadMs = new double[overhead.Length];
        long originB = b.Stamps(w)[(int)PipelineStage.Published];
        for (int i = w; i < b.Count; i++)
        {
            latencyB.Record(b.Stamps(i).ToArray(), 0, b.WorkNs(i));
            overhead[i - w] = b.WorkNs(i);
            overheadSeconds[i - w] = (b.Stamps(i)[(int)PipelineStage.Published] - originB) / 1e9;
            overheadMs[i - w] = b.WorkNs(i) / 1e6;
        }
        var work = new Dictionary<string, LatencySummary>
        {
            ["preprocess"] = Summary(WorkPart(b, w, static f => f.PreprocessNs)),
            ["decode"] = Summary(WorkPart(b, w, static f => f.DecodeNs)),
            ["track"] = Summary(WorkPart(b, w, static f => f.TrackNs)),
            ["compose"] = Summary(WorkPart(b, w, static f => f.ComposeNs)),
            ["encode"] = Summary(WorkPart(b, w, static f => f.EncodeNs)),
        };
        long[] cameraMotion = WorkPart(b, w, static f => f.CameraMotionNs);
        if (cameraMotion.AsSpan().ContainsAnyExcept(0L))
        {
            // tracker.camera_motion on: its own part (the grey copy and the estimate, left out of preprocess and track).
            work["camera_motion"] = Summary(cameraMotion);
        }
        var stages = new Dictionary<LatencyStage, LatencySummary>();
        foreach (LatencyStage stage in Enum.GetValues<LatencyStage>())
        {
            stages[stage] = latencyB.Summarize(stage);
        }

        // A slow model publishes few frames in a short overload phase: its warm-up is at most a third of them.
        int wc = Math.Min(w, c.Count / 3);
        int measured = Math.Max(0, c.Count - wc);
        var e2e = new long[measured];
        var inference = new long[measured];
        var seconds = new double[measured];
        var e2eMs = new double[measured];
        var inferenceMs = new double[measured];
        var queueMs = new double[measured];
        long originC = measured > 0 ? c.Stamps(wc)[(int)PipelineStage.Published] : 0;
        for (int i = 0; i < measured; i++)
        {
            ReadOnlySpan<long> s = c.Stamps(i + wc);
            e2e[i] = s[(int)PipelineStage.Published] - s[(int)PipelineStage.Captured];
            inference[i] = s[(int)PipelineStage.Inferred] - s[(int)PipelineStage.Preprocessed];
            seconds[i] = (s[(int)PipelineStage.Published] - originC) / 1e9;
            e2eMs[i] = e2e[i] / 1e6;
            inferenceMs[i] = inference[i] / 1e6;
            queueMs[i] = (s[(int)PipelineStage.Dequeued] - s[(int)PipelineStage.Captured]) / 1e6;
        }
        int third = measured / 3;
        double growth = third > 0 ? Percentile(e2e.AsSpan(measured - third), 99) / Math.Max(1, Percentile(e2e.AsSpan(0, third), 99)) : 0;
        var overload = new BenchOverload(overloadDescription, Summary(e2e), Percentile(inference, 99) / 1e6, Math.Round(growth, 3),
            reportC.FramesCaptured, reportC.FramesPublished, reportC.FramesDropped, AllocPerFrame(c));

        LatencySummary overheadMsSummary = Summary(overhead);
        double allocB = AllocPerFrame(b);
        int gen2 = Gen2AfterWarmUp(b) + Gen2AfterWarmUp(c);
        double ratio = ceiling.Fps > 0 ? pipelineFps / ceiling.Fps : 0;
        var budgets = new List<BenchBudget>
        {
            new("pipeline work per frame, median", "≤ 1.0 ms", overheadMsSummary.P50, "ms", overheadMsSummary.P50 <= 1.0),
            new("pipeline work per frame, p99", "≤ 2 ms", overheadMsSummary.P99, "ms", overheadMsSummary.P99 <= 2.0),
            new("throughput vs bare ORT Run loop", "≥ 0.95", Math.Round(ratio, 3), "×", ratio >= 0.95),
            new("managed allocation per frame (lockstep)", "≤ 1024 B", Math.Round(allocB, 1), "B", allocB <= 1024),
            new("managed allocation per frame (overload)", "≤ 1024 B", Math.Round(overload.AllocBytesPerFrame, 1), "B", overload.AllocBytesPerFrame <= 1024),
            new("gen2 collections after warm-up", "0", gen2, "", gen2 == 0),
            new("capture→publish p99 under overload", string.Create(CultureInfo.InvariantCulture, $"≤ 2 × inference p99 = {2 * overload.InferenceP99Ms:0.#} ms"),
                overload.CaptureToPublishMs.P99, "ms", overload.CaptureToPublishMs.P99 <= 2 * overload.InferenceP99Ms),
            new("capture→publish p99 growth, last third / first third", "≤ 1.2", overload.Growth, "×", overload.Growth <= 1.2),
        };
        return new BenchReport
        {
            Machine = Machine(loadBefore),
            Model = model,
            Source = FrameSourceFactory.Redact(options.Config.Sources[0].Uri),
            ExecutionProvider = provider,
            Commit = commit,
            OrtOnlyFps = Math.Round(ceiling.Fps, 2),
            OrtRunMs = ceiling.RunMs,
            PipelineFps = Math.Round(pipelineFps, 2),
            OverheadMs = overheadMsSummary,
            WorkMs = work,
            Stages = stages,
            AllocBytesPerFrame = Math.Round(allocB, 1),
            Gen2Collections = gen2,
            Overload = overload,
            Series = new BenchSeries(overheadSeconds, overheadMs, seconds, e2eMs, inferenceMs, queueMs),
            Budgets = budgets,
        };
    }

    /// <summary>One part of the pipeline work of each frame after warm-up, in ns.</summary>
    private static long[] WorkPart(BenchProbe probe, int warmUp, Func<FrameWork, long> part)
    {
        var ns = new long[probe.Count - warmUp];
        for (int i = warmUp; i < probe.Count; i++)
        {
            ns[i - warmUp] = part(probe.Work(i));
        }
        return ns;
    }

    /// <summary>Bytes per frame after warm-up; NaN when the phase never got past warm-up (nothing to measure).</summary>
    private static double AllocPerFrame(BenchProbe probe)
    {
        int frames = probe.AtEnd.Frames - probe.AtWarmUp.Frames;
        return probe.AtWarmUp.Frames > 0 && frames > 0 ? (double)(probe.AtEnd.Bytes - probe.AtWarmUp.Bytes) / frames : double.NaN;
    }

    private static int Gen2AfterWarmUp(BenchProbe probe) => probe.AtWarmUp.Frames > 0 ? probe.AtEnd.Gen2 - probe.AtWarmUp.Gen2 : 0;

    private static LatencySummary Summary(long[] ns)
    {
        if (ns.Length == 0)
        {
            return default;
        }
        return new LatencySummary(Math.Round(Percentile(ns, 50) / 1e6, 3), Math.Round(Percentile(ns, 90) / 1e6, 3),
            Math.Round(Percentile(ns, 99) / 1e6, 3), Math.Round(ns.Max() / 1e6, 3), ns.Length);
    }

    /// <summary>Nearest-rank percentile (the value at or below which <paramref name="p"/> % of the values lie).</summary>
    private static double Percentile(ReadOnlySpan<long> values, double p)
    {
        if (values.IsEmpty)
        {
            return 0;
        }
        long[] sorted = values.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static BenchMachine Machine(string loadBefore)
    {
        string cpu = "unknown";
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux, or /proc is hidden: the CPU stays unknown.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
        return new BenchMachine(cpu, Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            $"{loadBefore} → {LoadAverage()}");
    }

    /// <summary>The 1-minute load average (the shared machine's other work), or "?".</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
