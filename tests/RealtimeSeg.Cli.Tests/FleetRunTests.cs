using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeSeg.Fleet;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// The fleet as users run it: a real <c>nats-server</c> with JetStream, <c>fleet submit</c>, worker processes (one killed
/// with SIGKILL mid-segment), a server restart during the run, <c>fleet status</c> and <c>fleet fetch</c>, scored with
/// <c>eval mot</c> against the synthetic drive's exact ground truth and against one run over the whole drive.
/// </summary>
public sealed partial class FleetRunTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(3);

    [NatsFact]
    public async Task Fleet_WorkerKilledMidSegmentAndServerRestarted_EverySegmentDoneOnceAndStitchedHotaMatchesOneRun()
    {
        using var server = NatsTestServer.Start();
        using var dir = new TempFolder();
        Ok(CliProcess.Run(Step, "synth", "export", "--seed", "5", "--frames", "60", "--size", "320x180", "--out", dir.Path));
        string sequence = Path.Combine(dir.Path, "synth-drive-seed5");
        string source = "images:" + Path.Combine(sequence, "img1");

        // An image folder plays at 10 fps: 0.5 s segments are 5 frames, 12 of them; each starts 3 frames early.
        string submitted = Ok(CliProcess.Run(Step, "fleet", "submit", "--nats", server.Url, "--source", source, "--segment-seconds", "0.5", "--overlap-seconds", "0.3"));
        Assert.Contains("\t12 segments\t60 frames", submitted, StringComparison.Ordinal);

        using CliProcess a = CliProcess.Start("worker", "--nats", server.Url, "--ack-wait", "3", "--name", "A", "--exit-when-done");
        string killedJob = a.WaitForStderr(@"job (\S+) \(segment .*: started", Step).Groups[1].Value;
        a.Kill(); // kill -9 while the job runs: no results, no completion, no ack
        Assert.DoesNotContain($"job {killedJob}: done", a.Stderr, StringComparison.Ordinal);

        using CliProcess b = CliProcess.Start("worker", "--nats", server.Url, "--ack-wait", "3", "--name", "B", "--exit-when-done");
        b.WaitForStderr(@"job \S+: done", Step);
        server.Restart(); // once during the run: JetStream keeps the queue, ledger and results in its store
        Assert.True(b.WaitForExit(Step) == 0, b.Stderr);

        // Every segment's results exist exactly once.
        string status = Ok(CliProcess.Run(Step, "fleet", "status", "--nats", server.Url, "--json"));
        using (JsonDocument json = JsonDocument.Parse(status))
        {
            JsonElement root = json.RootElement;
            Assert.Equal(12, root.GetProperty("total").GetInt32());
            Assert.Equal(12, root.GetProperty("done").GetInt32());
            Assert.Equal(0, root.GetProperty("failed").GetInt32());
            Assert.Equal(0, root.GetProperty("pending").GetInt32());
            Assert.Equal(0, root.GetProperty("in_progress").GetInt32());
        }
        await using (FleetConnection fleet = await FleetConnection.OpenAsync(new FleetConnectionOptions { Url = server.Url }, new CollectingLog(), CancellationToken.None))
        {
            var ledger = new FleetLedger(fleet.Ledger);
            SourcePlan plan = Assert.Single(await ledger.PlansAsync(CancellationToken.None));
            Dictionary<string, JobCompletion> done = await ledger.CompletionsAsync(CancellationToken.None);
            Assert.Equal(plan.Jobs.Select(j => j.JobId).Order(StringComparer.Ordinal), done.Keys.Order(StringComparer.Ordinal));
            JobCompletion redone = done[killedJob];
            Assert.Equal("B", redone.Worker);
            Assert.True(redone.Delivery >= 2, $"the killed worker's job was completed on delivery {redone.Delivery}");
            IReadOnlyList<string> stored = await new ObjectStoreResults(fleet.Results).ListAsync(CancellationToken.None);
            string[] expected = [.. plan.Jobs.SelectMany(j => new[] { FleetNames.PanopticArchive, FleetNames.StatsFile, FleetNames.TracksFile }.Select(f => j.JobId + "/" + f)).Order(StringComparer.Ordinal)];
            Assert.Equal(expected, stored);
        }
        foreach (Match m in DoneLine().Matches(b.Stderr))
        {
            // One completion per job across both workers (A died before completing its job; B completes each once).
            Assert.Single(DoneLine().Matches(a.Stderr + b.Stderr), x => x.Groups[1].Value == m.Groups[1].Value);
        }

        // Stitched as one run: compare with the pipeline over the whole drive, both scored against the exact truth.
        string outDir = Path.Combine(dir.Path, "stitched"), single = Path.Combine(dir.Path, "single.txt");
        Ok(CliProcess.Run(Step, "fleet", "fetch", "--nats", server.Url, "--source", source, "--out", outDir));
        Ok(CliProcess.Run(Step, "run", "--source", source, "--pace", "lockstep", "--dump-mot", single, "--publish", "inproc://fleet-single-run", "-q"));
        string stitchedTracks = Path.Combine(outDir, FleetNames.TracksFile);
        Assert.Equal(Frames(single), Frames(stitchedTracks));
        Assert.Equal(60, Directory.GetFiles(Path.Combine(outDir, "panoptic"), "*.png").Length);
        string gt = Path.Combine(sequence, "gt", "gt.txt");
        double oneRun = Hota(gt, single), stitched = Hota(gt, stitchedTracks);
        Assert.True(oneRun > 5, $"the one run scores HOTA {oneRun:0.###}: too low for the comparison to mean anything");
        Assert.True(Math.Abs(oneRun - stitched) <= 0.5, $"HOTA one run {oneRun:0.###}, stitched {stitched:0.###}");
    }

    /// <summary>The frames each file has rows in, and that no (frame, id) repeats.</summary>
    private static int[] Frames(string motFile)
    {
        var rows = File.ReadAllLines(motFile).Select(l => l.Split(',')).Select(p => (Frame: int.Parse(p[0], CultureInfo.InvariantCulture), Id: int.Parse(p[1], CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(rows.Length, rows.Distinct().Count());
        return [.. rows.Select(r => r.Frame).Distinct().Order()];
    }

    private static double Hota(string gt, string pred)
    {
        string json = Ok(CliProcess.Run(Step, "eval", "mot", "--gt", gt, "--pred", pred, "--json"));
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("sequences")[0].GetProperty("HOTA").GetDouble();
    }

    private static string Ok((int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stderr:\n{run.Stderr}");
        return run.Stdout;
    }

    [GeneratedRegex(@"job (\S+): done:")]
    private static partial Regex DoneLine();
}
