using System.CommandLine;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg run</c>: the pipeline from a config file and/or flags (DESIGN §5).</summary>
internal static class RunCommand
{
    private static readonly Option<string?> ConfigOption = new("--config", "-c") { Description = "pipeline YAML file (see configs/)" };
    private static readonly Option<string[]> SourceOption = new("--source", "-s") { Description = "source URI: a video path or file:PATH, images:DIR, rtsp://…, camera:N, synthetic:…, drive:FILE; repeat for several streams s0, s1, … (replaces the config's sources; see docs/sources.md)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> ModelOption = new("--model", "-m") { Description = "ONNX model file (replaces model.path; without it and without --config, the bundled demo model)" };
    private static readonly Option<string?> DecoderOption = new("--decoder") { Description = "force an output decoder (e.g. yolo-seg) instead of choosing it from the model's shapes" };
    private static readonly Option<string?> ProvidersOption = new("--providers") { Description = "execution providers in order of preference, e.g. tensorrt,cuda,cpu" };
    private static readonly Option<long?> MaxFramesOption = MaxFramesFlag.Create("stop after N captured frames");
    private static readonly Option<Pacing?> PaceOption = new("--pace") { Description = "realtime | max | lockstep" };
    private static readonly Option<string?> StatsOption = new("--stats") { Description = "write the stats JSON here: every second while running, and at exit" };
    private static readonly Option<string[]> PublishOption = new("--publish") { Description = "ZeroMQ endpoint to publish on (default tcp://127.0.0.1:5556), and/or nats://HOST:PORT for the NATS bridge (docs/scale-out.md)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> DumpMotOption = new("--dump-mot") { Description = "write tracked things as a MOTChallenge tracker file (for eval mot)" };
    private static readonly Option<string?> DumpDetectionsOption = new("--dump-detections") { Description = "write every detection the tracker receives as MOTChallenge detection rows, for replay with track (one file per stream)" };
    private static readonly Option<string?> DumpPanopticOption = new("--dump-panoptic") { Description = "write COCO panoptic JSON + PNGs into this folder (for eval panoptic / stq)" };
    private static readonly Option<double?> WaitForSubscriberOption = new("--wait-for-subscriber") { Description = "hold the first frame up to SECONDS until a subscriber has subscribed (so it receives the whole run)" };
    private static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "only warnings and errors on stderr" };

    public static Command Create()
    {
        var command = new Command("run", "run the pipeline: source → model → tracker → panoptic frames over ZeroMQ")
        {
            ConfigOption, SourceOption, ModelOption, DecoderOption, ProvidersOption, MaxFramesOption, PaceOption, StatsOption, PublishOption, DumpMotOption, DumpDetectionsOption, DumpPanopticOption, WaitForSubscriberOption, QuietOption,
        };
        foreach (Option option in StreamFlags.All.Concat(OutputFlags.All).Concat(SecurityFlags.Publisher))
        {
            command.Options.Add(option);
        }
        command.Options.Add(HttpFlag.Option);
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var log = new ConsoleLog(Console.Error, parse.GetValue(QuietOption));
        var loader = new PipelineConfigLoader();
        PipelineConfig config = BuildConfig(parse, loader);
        (config, string[] nats) = NatsBridgeFlag.Split(config, parse.GetValue(PublishOption) ?? []);
        loader.Validate(config);
        if (parse.GetValue(ModelOption) is null && parse.GetValue(ConfigOption) is null)
        {
            // A user who gave only --source must learn which model reads their video, and that it is a demo model.
            log.Info($"model: no --model given, so the bundled demo model {config.Model.Path} (trained on the synthetic drive only, see models/README.md); pass --model FILE for your own");
        }

        string? statsPath = parse.GetValue(StatsOption);
        PipelineReport? finished = await PipelineSession.RunAsync(config, log, statsPath, async pipeline =>
        {
            Task<PipelineReport> run = pipeline.RunAsync(ct);
            // Once bound, so that a wildcard port (tcp://127.0.0.1:*) is named by its number; a failed start-up surfaces from run.
            await Task.WhenAny(pipeline.Started, run).ConfigureAwait(false);
            if (pipeline.Started.IsCompletedSuccessfully)
            {
                log.Info($"publishing {string.Join(", ", pipeline.StreamNames)} on {pipeline.PublishEndpoint}; watch with: realtimeseg subscribe --connect {pipeline.PublishEndpoint}{SecurityFlags.SubscribeHint(config.Publish)}");
                if (pipeline.HttpAddress is { } http)
                {
                    // Unconditionally (--quiet too): a script that asked for port 0 learns the port here.
                    Console.Error.WriteLine(HttpFlag.Banner(http));
                }
            }
            return await run.ConfigureAwait(false);
        }, ct, NatsBridgeFlag.Host(nats, log)).ConfigureAwait(false);
        if (finished is not { } report)
        {
            return ExitCodes.Success;
        }
        int failedStreams = 0;
        foreach (StreamCounters stream in report.Streams)
        {
            if (stream.Error is not null)
            {
                failedStreams++;
                Console.Error.WriteLine($"warning: stream {stream.Id} failed during the run: {stream.Error}");
            }
        }
        int failedSinks = 0;
        foreach (SinkCounters sink in report.Sinks)
        {
            if (sink.Error is not null)
            {
                failedSinks++;
                Console.Error.WriteLine($"warning: sink {sink.Name} failed during the run and lost {sink.FramesDropped} of {sink.FramesOffered} frames: {sink.Error}");
            }
        }
        LatencySummary e2e = report.Latency[LatencyStage.CaptureToPublish];
        Console.Error.WriteLine($"done{(ct.IsCancellationRequested ? " (stopped)" : "")}: {report.FramesCaptured} captured, {report.FramesPublished} published, {report.FramesDropped} dropped, " +
                 $"{report.ThroughputFps:0.0} frames/s, capture→publish p50 {e2e.P50:0.0} ms p99 {e2e.P99:0.0} ms, {report.ExecutionProvider}" +
                 (statsPath is null ? "" : $"; stats in {statsPath}"));
        // The other streams and sinks ran on, but a script must still learn that a stream died or an output is incomplete.
        return failedStreams == 0 && failedSinks == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    internal static PipelineConfig BuildConfig(ParseResult parse, PipelineConfigLoader loader)
    {
        string? configPath = parse.GetValue(ConfigOption);
        PipelineConfig config = configPath is null ? new PipelineConfig() : loader.Load(configPath);
        if (configPath is null && UsesBundledModel(parse.GetValue(ModelOption)) && File.Exists(BundledModel.DemoConfigPath))
        {
            // The bundled model was tuned with its config (configs/demo.yaml: thresholds, NMS, mask threshold, tracker):
            // without --config, `run` takes those sections, so `run --source X` tracks as `demo` does. Sources, outputs
            // and pacing stay the flags' and the defaults'.
            PipelineConfig tuned = loader.Load(BundledModel.DemoConfigPath);
            config = config with { Model = tuned.Model, Tracker = tuned.Tracker, Panoptic = tuned.Panoptic };
        }
        string[] sources = parse.GetValue(SourceOption) ?? [];
        if (sources.Length > 0)
        {
            config = config with { Sources = Array.ConvertAll(sources, uri => new SourceConfig { Uri = uri }) };
        }
        config = StreamFlags.Apply(parse, config);
        config = OutputFlags.Apply(parse, config);
        config = HttpFlag.Apply(parse, config);
        if (parse.GetValue(ModelOption) is { } model)
        {
            config = config with { Model = config.Model with { Path = Path.GetFullPath(model) } };
        }
        if (parse.GetValue(DecoderOption) is { } decoder)
        {
            config = config with { Model = config.Model with { Decoder = decoder } };
        }
        if (parse.GetValue(ProvidersOption) is { } providers)
        {
            string[] chain = providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            config = config.Models is { } fused
                ? config with { Models = [.. fused.Select(m => m with { Providers = chain })] }
                : config with { Model = config.Model with { Providers = chain } };
        }
        if (parse.GetValue(MaxFramesOption) is { } maxFrames)
        {
            config = config with { Pipeline = config.Pipeline with { MaxFrames = maxFrames } };
        }
        if (parse.GetValue(PaceOption) is { } pace)
        {
            config = config with { Pipeline = config.Pipeline with { Pace = pace } };
        }
        if (parse.GetValue(WaitForSubscriberOption) is { } wait)
        {
            if (wait < 0)
            {
                throw new ConfigurationException($"--wait-for-subscriber must be ≥ 0 (got {wait})");
            }
            config = config with { Pipeline = config.Pipeline with { WaitForSubscriber = TimeSpan.FromSeconds(wait) } };
        }
        if (parse.GetValue(DumpMotOption) is { } dumpMot)
        {
            config = config with { Pipeline = config.Pipeline with { DumpMot = Path.GetFullPath(dumpMot) } };
        }
        if (parse.GetValue(DumpDetectionsOption) is { } dumpDetections)
        {
            config = config with { Pipeline = config.Pipeline with { DumpDetections = Path.GetFullPath(dumpDetections) } };
        }
        if (parse.GetValue(DumpPanopticOption) is { } dumpPanoptic)
        {
            config = config with { Pipeline = config.Pipeline with { DumpPanoptic = Path.GetFullPath(dumpPanoptic) } };
        }
        config = config with { Publish = SecurityFlags.Apply(parse, config.Publish) };
        if (config.IsFusion && parse.GetValue(DecoderOption) is not null)
        {
            throw new ConfigurationException($"{configPath}: --decoder sets the decoder of one model; this config fuses several (models:), set decoder: in each");
        }
        if (string.IsNullOrEmpty(config.Model.Path) && !config.IsFusion)
        {
            if (configPath is not null)
            {
                throw new ConfigurationException($"{configPath}: no model: set model.path in the config or pass --model FILE");
            }
            // Neither a config nor --model: the bundled demo model (models/README.md), so `run --source X` just works.
            config = config with { Model = config.Model with { Path = BundledModel.RequireModel() } };
        }
        return config;
    }

    /// <summary>True without --model, or when --model is the bundled model (its copy next to the executable, or models/realtimeseg-demo.onnx with the same bytes). Start-up only.</summary>
    private static bool UsesBundledModel(string? modelFlag)
        => modelFlag is null
           || string.Equals(Path.GetFullPath(modelFlag), Path.GetFullPath(BundledModel.ModelPath), StringComparison.Ordinal)
           || (string.Equals(Path.GetFileName(modelFlag), BundledModel.FileName, StringComparison.Ordinal)
               && File.Exists(modelFlag) && File.Exists(BundledModel.ModelPath)
               && File.ReadAllBytes(modelFlag).AsSpan().SequenceEqual(File.ReadAllBytes(BundledModel.ModelPath)));
}
