using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RealtimeSeg.Fleet;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg fleet submit|status|fetch</c>: recorded sources as segments on a NATS JetStream work queue (docs/scale-out.md).</summary>
internal static class FleetCommand
{
    public static Command Create() => new("fleet", "re-process recorded sources on many machines: submit segments, watch status, fetch stitched results")
    {
        Submit(), Status(), Fetch(),
    };

    private static Command Submit()
    {
        Option<string> nats = FleetFlags.Nats();
        var sources = new Option<string[]>("--source", "-s") { Description = "recorded source URI (video file or images:DIR) on storage every worker sees; repeat for several", Required = true };
        var config = new Option<string?>("--config", "-c") { Description = "pipeline YAML every worker runs (on shared storage; hashed: a worker refuses it if it changed)" };
        var model = new Option<string?>("--model", "-m") { Description = "ONNX model file (replaces the config's model.path; default without --config: the bundled model)" };
        var segment = new Option<double>("--segment-seconds") { Description = "length of a segment (default 60)", DefaultValueFactory = _ => 60 };
        var overlap = new Option<double>("--overlap-seconds") { Description = "each segment also processes this much before its start, to join track ids (default 2)", DefaultValueFactory = _ => 2 };
        var command = new Command("submit", "split recorded sources into time segments and queue one job per segment") { sources, config, model, segment, overlap };
        FleetFlags.AddTo(command, nats);
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleLog(Console.Error, parse.GetValue(FleetFlags.Quiet));
            FleetConnectionOptions connection = FleetFlags.Connection(parse, nats);
            string? configPath = parse.GetValue(config) is { } c ? Path.GetFullPath(c) : null;
            string? modelPath = parse.GetValue(model) is { } m ? Path.GetFullPath(m) : null;
            if (configPath is not null && !File.Exists(configPath))
            {
                throw new FileNotFoundException($"--config: file '{configPath}' not found", configPath);
            }
            if (configPath is null && modelPath is null)
            {
                // As `run` without --config: the bundled model with the config it was tuned with (thresholds, NMS,
                // tracker, mask threshold), so a fleet's results are what one run of the same source gives.
                modelPath = BundledModel.RequireModel();
                configPath = File.Exists(BundledModel.DemoConfigPath) ? BundledModel.DemoConfigPath : null;
            }
            string[] uris = Array.ConvertAll(parse.GetValue(sources)!, s => SourceUris.Absolute(s, Environment.CurrentDirectory));
            IReadOnlyList<SourcePlan> plans = null!;
            FleetConnection fleet = await FleetConnection.OpenAsync(connection with { ClientName = "realtimeseg-submit" }, log, ct).ConfigureAwait(false);
            await using (fleet.ConfigureAwait(false))
            {
                try
                {
                    plans = await FleetSubmitter.SubmitAsync(fleet, uris, configPath, modelPath, parse.GetValue(segment), parse.GetValue(overlap), log, ct).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    throw new Core.ConfigurationException(e.Message, e);
                }
            }
            foreach (SourcePlan plan in plans)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{plan.Source}\t{plan.Jobs.Count} segments\t{plan.FrameCount} frames\t{plan.SourceKey}"));
            }
            return Core.ExitCodes.Success;
        });
        return command;
    }

    private static Command Status()
    {
        Option<string> nats = FleetFlags.Nats();
        var json = new Option<bool>("--json") { Description = "one JSON object: total, pending, in_progress, done, failed, workers, eta_seconds, …" };
        var command = new Command("status", "jobs pending, in progress, done and failed; per-worker throughput; ETA") { json };
        FleetFlags.AddTo(command, nats);
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleLog(Console.Error, quiet: true);
            FleetStatusReport report = await FleetStatus.ReadAsync(FleetFlags.Connection(parse, nats), log, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, FleetJson.Options));
                return Core.ExitCodes.Success;
            }
            CultureInfo inv = CultureInfo.InvariantCulture;
            Console.Out.WriteLine(string.Create(inv, $"jobs: {report.Total} total, {report.Pending} pending, {report.InProgress} in progress, {report.Done} done, {report.Failed} failed ({report.Redelivered} redeliveries)"));
            Console.Out.WriteLine(string.Create(inv, $"frames: {report.FramesDone} of {report.FramesTotal}; {report.ThroughputFps:0.0} frames/s; ETA {(report.EtaSeconds is { } eta ? $"{eta:0} s" : "unknown")}"));
            foreach (WorkerThroughput w in report.Workers)
            {
                Console.Out.WriteLine(string.Create(inv, $"  worker {w.Name}: {w.Jobs} jobs, {w.Frames} frames, {w.Fps:0.0} frames/s per job slot, {w.WallFps:0.0} frames/s overall"));
            }
            foreach (SourceProgress s in report.Sources)
            {
                Console.Out.WriteLine(string.Create(inv, $"  {s.Source}: {s.Done}/{s.Segments} segments done{(s.Failed > 0 ? $", {s.Failed} failed" : "")}"));
            }
            return Core.ExitCodes.Success;
        });
        return command;
    }

    private static Command Fetch()
    {
        Option<string> nats = FleetFlags.Nats();
        var source = new Option<string>("--source", "-s") { Description = "the source URI as submitted", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "folder for tracks.txt (stitched MOT), panoptic.json + panoptic/ and stitch.json", Required = true };
        var command = new Command("fetch", "write one source's stitched results: MOT tracks and panoptic dumps, track ids joined across segments") { source, output, FleetFlags.Results };
        FleetFlags.AddTo(command, nats);
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleLog(Console.Error, parse.GetValue(FleetFlags.Quiet));
            string uri = SourceUris.Absolute(parse.GetValue(source)!, Environment.CurrentDirectory);
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            FetchReport report = await FleetFetcher.FetchAsync(FleetFlags.Connection(parse, nats), uri, outDir, parse.GetValue(FleetFlags.Results), log, ct).ConfigureAwait(false);
            int joined = report.Joins.Sum(j => j.Joined);
            log.Info(string.Create(CultureInfo.InvariantCulture,
                $"fetched {report.Segments} segments of {report.Source}: {report.Tracks} tracks ({joined} joined across {report.Joins.Count} boundaries), {report.Rows} rows, {report.PanopticFrames} panoptic frames → {outDir}"));
            return Core.ExitCodes.Success;
        });
        return command;
    }
}
