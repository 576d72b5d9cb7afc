using NATS.Client.JetStream;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;

namespace RealtimeSeg.Fleet;

/// <summary>
/// <c>fleet status</c>: counts from the ledger (plans, completions, failures) and the workers' consumer (jobs delivered
/// and not yet acked are in progress); throughput from the completion records.
/// </summary>
public static class FleetStatus
{
    public static async Task<FleetStatusReport> ReadAsync(FleetConnectionOptions connection, IPipelineLog log, CancellationToken ct)
    {
        FleetConnection fleet = await FleetConnection.OpenAsync(connection with { ClientName = "realtimeseg-status" }, log, ct).ConfigureAwait(false);
        await using (fleet.ConfigureAwait(false))
        {
            return await ReadAsync(fleet, ct).ConfigureAwait(false);
        }
    }

    internal static async Task<FleetStatusReport> ReadAsync(FleetConnection fleet, CancellationToken ct)
    {
        var ledger = new FleetLedger(fleet.Ledger);
        IReadOnlyList<SourcePlan> plans = await ledger.PlansAsync(ct).ConfigureAwait(false);
        Dictionary<string, JobCompletion> completions = await ledger.CompletionsAsync(ct).ConfigureAwait(false);
        HashSet<string> failedIds = await ledger.FailedJobsAsync(ct).ConfigureAwait(false);
        long inFlight = 0, redelivered = 0;
        try
        {
            INatsJSConsumer consumer = await fleet.JetStream.GetConsumerAsync(FleetNames.JobStream, FleetNames.WorkerConsumer, ct).ConfigureAwait(false);
            inFlight = consumer.Info.NumAckPending;
            redelivered = consumer.Info.NumRedelivered;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            // No worker has started yet: nothing in progress.
        }

        int total = 0, done = 0, failed = 0;
        long framesTotal = 0, framesDone = 0;
        var sources = new List<SourceProgress>();
        var counted = new List<JobCompletion>();
        foreach (SourcePlan plan in plans)
        {
            int sourceDone = 0, sourceFailed = 0;
            foreach (FleetJob job in plan.Jobs)
            {
                total++;
                framesTotal += job.EndFrame - job.StartFrame;
                if (completions.TryGetValue(job.JobId, out JobCompletion? c))
                {
                    sourceDone++;
                    framesDone += job.EndFrame - job.StartFrame;
                    counted.Add(c);
                }
                else if (failedIds.Contains(job.JobId))
                {
                    sourceFailed++;
                }
            }
            done += sourceDone;
            failed += sourceFailed;
            sources.Add(new SourceProgress(FrameSourceFactory.Redact(plan.Source), plan.Jobs.Count, sourceDone, sourceFailed));
        }
        int inProgress = (int)Math.Min(inFlight, total - done - failed);
        var workers = counted.GroupBy(c => c.Worker, StringComparer.Ordinal)
            .Select(g =>
            {
                long frames = g.Sum(c => c.Frames);
                double busy = g.Sum(c => c.Seconds);
                double wall = (g.Max(c => c.FinishedAt) - g.Min(c => c.StartedAt)).TotalSeconds;
                return new WorkerThroughput(g.Key, g.Count(), frames, busy, frames / Math.Max(busy, 1e-9), frames / Math.Max(wall, 1e-9));
            })
            .OrderBy(w => w.Name, StringComparer.Ordinal)
            .ToArray();
        double fps = 0;
        if (counted.Count > 0)
        {
            double span = (counted.Max(c => c.FinishedAt) - counted.Min(c => c.StartedAt)).TotalSeconds;
            fps = framesDone / Math.Max(span, 1e-9);
        }
        return new FleetStatusReport
        {
            Total = total,
            Done = done,
            Failed = failed,
            InProgress = inProgress,
            Pending = Math.Max(0, total - done - failed - inProgress),
            Redelivered = redelivered,
            FramesTotal = framesTotal,
            FramesDone = framesDone,
            ThroughputFps = fps,
            EtaSeconds = fps > 0 ? (framesTotal - framesDone) / fps : null,
            Workers = workers,
            Sources = sources,
        };
    }
}
