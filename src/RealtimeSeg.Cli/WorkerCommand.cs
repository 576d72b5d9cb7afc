using System.CommandLine;
using System.Globalization;
using RealtimeSeg.Fleet;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg worker --nats URL</c>: pulls segment jobs, runs them, stores results, acks (docs/scale-out.md).</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        Option<string> nats = FleetFlags.Nats();
        var concurrency = new Option<int>("--concurrency", "-k") { Description = "jobs at once in this process (default 1)", DefaultValueFactory = _ => 1 };
        var ackWait = new Option<double>("--ack-wait") { Description = "seconds without an in-progress ack before a job goes to another worker (default 30; the same on every worker)", DefaultValueFactory = _ => 30 };
        var attempts = new Option<int>("--max-attempts") { Description = "deliveries of a job before it goes to the dead-letter subject (default 3)", DefaultValueFactory = _ => 3 };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "exit once every submitted job is done or failed" };
        var name = new Option<string?>("--name") { Description = "this worker's name in status (default HOST:PID)" };
        var command = new Command("worker", "run fleet jobs: segments of recorded sources from the NATS JetStream work queue")
        {
            concurrency, ackWait, attempts, exitWhenDone, name, FleetFlags.Results,
        };
        FleetFlags.AddTo(command, nats);
        command.SetAction(async (parse, ct) =>
        {
            var log = new ConsoleLog(Console.Error, parse.GetValue(FleetFlags.Quiet));
            var options = new WorkerOptions
            {
                Concurrency = parse.GetValue(concurrency),
                AckWait = TimeSpan.FromSeconds(parse.GetValue(ackWait)),
                MaxAttempts = parse.GetValue(attempts),
                ExitWhenDone = parse.GetValue(exitWhenDone),
                ResultsDirectory = parse.GetValue(FleetFlags.Results) is { } dir ? Path.GetFullPath(dir) : null,
                Name = parse.GetValue(name),
            };
            FleetWorker worker = null!;
            FleetFlags.Usage(() => worker = new FleetWorker(FleetFlags.Connection(parse, nats), options, log));
            WorkerSummary summary = await worker.RunAsync(ct).ConfigureAwait(false);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"worker {worker.Name}{(ct.IsCancellationRequested ? " (stopped)" : "")}: {summary.Completed} jobs done, {summary.Skipped} already done, {summary.Retried} retried, {summary.DeadLettered} dead-lettered; {summary.Frames} frames in {summary.Seconds:0.0} s"));
            return Core.ExitCodes.Success;
        });
        return command;
    }
}
