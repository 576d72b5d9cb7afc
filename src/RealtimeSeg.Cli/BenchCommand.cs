using System.CommandLine;
using System.Globalization;
using System.Reflection;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Bench;
using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg bench</c>: the bare ONNX Runtime ceiling, the whole pipeline in lockstep and the pipeline under
/// overload, in one process (<see cref="PipelineBench"/>); writes bench.json, bench.md and bench.png and prints each
/// budget of DESIGN §7 as met or missed.
/// </summary>
internal static class BenchCommand
{
    private static readonly Option<string?> ModelOption = new("--model", "-m") { Description = "ONNX model (default: the bundled model with its tuned config)" };
    private static readonly Option<string?> ConfigOption = new("--config", "-c") { Description = "pipeline YAML whose model, tracker and composer settings are measured (its first source, unless --source)" };
    private static readonly Option<string?> SourceOption = new("--source", "-s") { Description = "source URI (default: synthetic:drive?seed=1&size=1280x720&fps=30)" };
    private static readonly Option<int> FramesOption = new("--frames") { Description = "frames of the lockstep phase and runs of the ceiling", DefaultValueFactory = _ => 300 };
    private static readonly Option<double> DurationOption = new("--duration") { Description = "seconds of the overload phase", DefaultValueFactory = _ => 20 };
    private static readonly Option<string> OutOption = new("--out") { Description = "output folder for bench.json, bench.md, bench.png", DefaultValueFactory = _ => "bench-out" };
    private static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "only warnings and errors on stderr" };

    public static Command Create()
    {
        var command = new Command("bench", "measure the bare ONNX Runtime ceiling, the whole pipeline (lockstep) and the pipeline under overload; write bench.json, bench.md, bench.png")
        {
            ModelOption, ConfigOption, SourceOption, FramesOption, DurationOption, OutOption, QuietOption,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var log = new ConsoleLog(Console.Error, parse.GetValue(QuietOption));
        var loader = new PipelineConfigLoader();
        PipelineConfig config = BuildConfig(parse, loader);
        loader.Validate(config);
        double duration = parse.GetValue(DurationOption);
        var options = new BenchOptions
        {
            Config = config,
            Frames = parse.GetValue(FramesOption),
            Duration = double.IsFinite(duration) && duration is > 0 and < 86_400 ? TimeSpan.FromSeconds(duration) : TimeSpan.Zero,
        };
        options.Validate();
        string outDir = Path.GetFullPath(parse.GetValue(OutOption)!);
        Directory.CreateDirectory(outDir);

        BenchReport report = await PipelineBench.RunAsync(options, log, Commit(), ct).ConfigureAwait(false);

        string json = Path.Combine(outDir, "bench.json"), md = Path.Combine(outDir, "bench.md"), png = Path.Combine(outDir, "bench.png");
        BenchJsonWriter.WriteFile(report, json);
        File.WriteAllText(md, BenchMarkdown.Format(report));
        BenchPlot.Save(report, png);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: ort_only_fps {report.OrtOnlyFps:0.00}, pipeline_fps {report.PipelineFps:0.00}, fps_ratio {report.FpsRatio:0.000}, overhead p50 {report.OverheadMs.P50:0.000} ms p99 {report.OverheadMs.P99:0.000} ms, alloc {report.AllocBytesPerFrame:0} B/frame"));
        foreach (BenchBudget b in report.Budgets)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(!b.Measurable ? "n/a   " : b.Met ? "met   " : "MISSED")} {b.Name}: {b.Measured:0.###} {b.Unit} (target {b.Target})"));
        }
        Console.Out.WriteLine($"wrote {json}, {md}, {png}");
        return ExitCodes.Success;
    }

    private static PipelineConfig BuildConfig(ParseResult parse, PipelineConfigLoader loader)
    {
        string? configPath = parse.GetValue(ConfigOption);
        PipelineConfig config;
        if (configPath is not null)
        {
            config = loader.Load(configPath);
        }
        else
        {
            if (!File.Exists(BundledModel.DemoConfigPath))
            {
                throw new ConfigurationException($"{BundledModel.DemoConfigPath}: the demo config is missing; the build copies configs/demo.yaml next to the executable (rebuild)");
            }
            config = loader.Load(BundledModel.DemoConfigPath);
            config = config with { Model = config.Model with { Path = BundledModel.RequireModel() } };
        }
        if (parse.GetValue(ModelOption) is { } model)
        {
            if (config.IsFusion)
            {
                throw new ConfigurationException($"{configPath}: --model replaces the model of a one-model config; this config fuses several (models:)");
            }
            config = config with { Model = config.Model with { Path = Path.GetFullPath(model) } };
        }
        if (parse.GetValue(SourceOption) is { } source)
        {
            config = config with { Sources = [new SourceConfig { Uri = source }] };
        }
        return config;
    }

    /// <summary>The commit the executable was built from (stamped into its informational version by the build), or "unknown".</summary>
    private static string Commit()
    {
        string? version = typeof(BenchCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        int plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        return plus >= 0 ? version![(plus + 1)..] : "unknown";
    }
}
