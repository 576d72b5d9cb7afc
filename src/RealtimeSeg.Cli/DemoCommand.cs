using System.CommandLine;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg demo</c>: the synthetic drive through the bundled model, tracker and publisher, with a status line
/// that updates in place (frames/s, capture→publish p50/p99, drops, active tracks, execution provider). Needs nothing
/// but the build: no download, no flag. Ctrl-C stops it with a summary.
/// </summary>
internal static class DemoCommand
{
    private static readonly Option<string?> SourceOption = new("--source", "-s") { Description = "source URI instead of the synthetic drive (any run source)" };
    private static readonly Option<long?> MaxFramesOption = MaxFramesFlag.Create("stop after N captured frames (default: until Ctrl-C)");
    private static readonly Option<string?> StatsOption = new("--stats") { Description = "write the stats JSON here: every second while running, and at exit" };
    private static readonly Option<string?> PublishOption = new("--publish") { Description = "ZeroMQ endpoint to publish on (default tcp://127.0.0.1:5556), or nats://HOST:PORT for the NATS bridge instead" };
    private static readonly Option<Pacing?> PaceOption = new("--pace") { Description = "realtime (default) | max | lockstep" };
    private static readonly Option<string?> ModelOption = new("--model", "-m") { Description = "another ONNX model instead of the bundled one" };
    private static readonly Option<double?> WaitForSubscriberOption = new("--wait-for-subscriber") { Description = "hold the first frame up to SECONDS until a subscriber has subscribed" };
    private static readonly Option<double> IntervalOption = new("--status-interval") { Description = "seconds between status updates", DefaultValueFactory = _ => 0.5 };

    public static Command Create()
    {
        var command = new Command("demo", "run the bundled model on the synthetic drive and publish tracked panoptic frames (no download, no flags)")
        {
            SourceOption, MaxFramesOption, StatsOption, PublishOption, PaceOption, ModelOption, WaitForSubscriberOption, IntervalOption,
        };
        foreach (Option option in OutputFlags.All.Concat(SecurityFlags.Publisher))
        {
            command.Options.Add(option);
        }
        command.Options.Add(HttpFlag.Option);
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var log = new ConsoleLog(Console.Error, quiet: true);
        var loader = new PipelineConfigLoader();
        PipelineConfig config = BuildConfig(parse, loader);
        (config, string[] nats) = NatsBridgeFlag.Split(config, parse.GetValue(PublishOption) is { } endpoint ? [endpoint] : []);
        loader.Validate(config);
        double interval = parse.GetValue(IntervalOption);
        if (!(interval > 0))
        {
            throw new ConfigurationException($"--status-interval must be > 0 seconds (got {interval})");
        }

        string? statsPath = parse.GetValue(StatsOption);
        PipelineReport? finished = await PipelineSession.RunAsync(config, log, statsPath, pipeline => ShowAsync(pipeline, config, interval, ct), ct, NatsBridgeFlag.Host(nats, log)).ConfigureAwait(false);
        if (finished is not { } report)
        {
            return ExitCodes.Success;
        }
        LatencySummary e2e = report.Latency[LatencyStage.CaptureToPublish];
        Console.Error.WriteLine($"demo {(ct.IsCancellationRequested ? "stopped" : "done")}: {report.FramesCaptured} captured, {report.FramesPublished} published, "
            + $"{report.FramesDropped} dropped, {report.ThroughputFps:0.0} frames/s, capture→publish p50 {e2e.P50:0.0} ms p99 {e2e.P99:0.0} ms, "
            + $"{report.ExecutionProvider}" + (statsPath is null ? "" : $"; stats in {statsPath}"));
        return ExitCodes.Success;
    }

    /// <summary>Runs the pipeline under a status line that updates in place; returns the report.</summary>
    private static async Task<PipelineReport> ShowAsync(SegmentationPipeline pipeline, PipelineConfig config, double interval, CancellationToken ct)
    {
        Task<PipelineReport> run = pipeline.RunAsync(ct);
        // The banner names the bound endpoint (a wildcard port is known once bound); a failed start-up surfaces from run.
        await Task.WhenAny(pipeline.Started, run).ConfigureAwait(false);
        string endpoint = pipeline.PublishEndpoint;
        Console.Error.WriteLine($"RealtimeSeg demo: {CredentialRedaction.Redact(config.Sources[0].Uri)} → {Path.GetFileName(config.Model.Path)} → tracker → {endpoint}");
        Uri? http = pipeline.HttpAddress;
        if (http is not null)
        {
            Console.Error.WriteLine($"  see it:    {HttpFlag.Banner(http)}");
        }
        Console.Error.WriteLine($"  watch it:  realtimeseg subscribe --connect {endpoint}{SecurityFlags.SubscribeHint(config.Publish)}   (add --json for one JSON line per frame)");
        if (ToolPath.Hint() is { } hint)
        {
            Console.Error.WriteLine(hint);
        }
        Console.Error.WriteLine($"  or from Python: python3 tools/python-subscriber/subscribe.py --connect {endpoint}   (needs python3-zmq, python3-msgpack)");
        Console.Error.WriteLine("  Ctrl-C stops.");
        using var status = new StatusLine(Console.Error, !Console.IsErrorRedirected, TimeSpan.FromSeconds(interval), http);
        // A periodic timer ticks without allocating (Task.Delay + WhenAny made two tasks an update); the run's end
        // disposes it, which ends the loop.
        using (var ticks = new PeriodicTimer(status.Interval))
        {
            _ = run.ContinueWith(static (_, timer) => ((PeriodicTimer)timer!).Dispose(), ticks, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (await ticks.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
            {
                status.Update(pipeline.Status());
            }
        }
        PipelineReport report = await run.ConfigureAwait(false);
        status.Finish();
        return report;
    }

    internal static PipelineConfig BuildConfig(ParseResult parse, PipelineConfigLoader loader)
    {
        string configPath = BundledModel.DemoConfigPath;
        if (!File.Exists(configPath))
        {
            throw new ConfigurationException($"{configPath}: the demo config is missing; the build copies configs/demo.yaml next to the executable (rebuild)");
        }
        PipelineConfig config = loader.Load(configPath);
        config = config with { Model = config.Model with { Path = parse.GetValue(ModelOption) is { } m ? Path.GetFullPath(m) : BundledModel.RequireModel() } };
        if (parse.GetValue(SourceOption) is { } source)
        {
            config = config with { Sources = [new SourceConfig { Uri = source }] };
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
        config = config with { Publish = SecurityFlags.Apply(parse, config.Publish) };
        return HttpFlag.Apply(parse, OutputFlags.Apply(parse, config));
    }
}
