using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RealtimeSeg.Fleet;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Fleet.Tests;

/// <summary>The worker against a real <c>nats-server</c>: a job that cannot run goes to the dead-letter subject with its error.</summary>
public sealed class WorkerDeadLetterTests
{
    [NatsFact]
    public async Task Worker_JobWhoseSourceIsGone_IsDeadLetteredWithTheErrorAndCountedFailed()
    {
        using var server = NatsTestServer.Start();
        using var dir = new TempFolder();
        var options = new FleetConnectionOptions { Url = server.Url };
        var log = new CollectingLog();
        string missing = Path.Combine(dir.Path, "gone");
        string model = Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx");
        SourcePlan plan = SegmentPlanner.Plan("images:" + missing, 10, 10, 1, 0, null, model, SegmentPlanner.ConfigHash(null, model), DateTimeOffset.UtcNow);
        await using (FleetConnection fleet = await FleetConnection.OpenAsync(options, log, CancellationToken.None))
        {
            await fleet.Ledger.PutAsync(FleetNames.SourceKeyPrefix + plan.SourceKey, FleetJson.Serialize(plan));
            FleetJob job = Assert.Single(plan.Jobs);
            (await fleet.JetStream.PublishAsync(FleetNames.JobSubjectPrefix + job.JobId, FleetJson.Serialize(job), opts: new NatsJSPubOpts { MsgId = job.JobId })).EnsureSuccess();
        }

        var worker = new FleetWorker(options, new WorkerOptions { MaxAttempts = 2, AckWait = TimeSpan.FromSeconds(5), ExitWhenDone = true }, log);
        WorkerSummary summary = await worker.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        // A source that cannot be opened may be a storage hiccup: retried once, then given up on (MaxAttempts 2).
        Assert.True((0, 1, 1) == (summary.Completed, summary.Retried, summary.DeadLettered), string.Join('\n', log.Lines));
        await using (FleetConnection fleet = await FleetConnection.OpenAsync(options, log, CancellationToken.None))
        {
            JobFailure failure = await new FleetLedger(fleet.Ledger).FailureAsync(plan.Jobs[0].JobId, CancellationToken.None) ?? throw new InvalidOperationException("no failure recorded");
            Assert.Contains(missing, failure.Error, StringComparison.Ordinal);
            Assert.Equal(2UL, failure.Deliveries);
            INatsJSStream dead = await fleet.JetStream.GetStreamAsync(FleetNames.DeadStream);
            Assert.Equal(1L, (long)dead.Info.State.Messages);
            FleetStatusReport status = await FleetStatus.ReadAsync(fleet, CancellationToken.None);
            Assert.Equal((1, 1, 0, 0), (status.Total, status.Failed, status.Done, status.Pending));
        }
    }
}
