using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;

namespace RealtimeSeg.Fleet;

/// <summary>
/// <c>fleet submit</c>: opens each recorded source once to learn its length and rate, splits it into segments
/// (<see cref="SegmentPlanner"/>), records the plan in the ledger and publishes one small job message per segment.
/// Job ids are message ids: submitting the same thing twice within the stream's duplicate window adds no job, and a
/// job already done is skipped by the worker that receives it again.
/// </summary>
internal static class FleetSubmitter
{
    public static async Task<IReadOnlyList<SourcePlan>> SubmitAsync(FleetConnection fleet, IReadOnlyList<string> sources, string? config, string? model,
        double segmentSeconds, double overlapSeconds, IPipelineLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("--source: at least one recorded source is required");
        }
        string configHash = SegmentPlanner.ConfigHash(config, model);
        var plans = new List<SourcePlan>(sources.Count);
        foreach (string source in sources)
        {
            (long frames, double fps) = Probe(source, log);
            plans.Add(SegmentPlanner.Plan(source, frames, fps, segmentSeconds, overlapSeconds, config, model, configHash, DateTimeOffset.UtcNow));
        }
        foreach (SourcePlan plan in plans)
        {
            ct.ThrowIfCancellationRequested();
            await fleet.Ledger.PutAsync(FleetNames.SourceKeyPrefix + plan.SourceKey, FleetJson.Serialize(plan), cancellationToken: ct).ConfigureAwait(false);
            int duplicates = 0;
            foreach (FleetJob job in plan.Jobs)
            {
                PubAckResponse ack = await fleet.JetStream.PublishAsync(FleetNames.JobSubjectPrefix + job.JobId, FleetJson.Serialize(job),
                    opts: new NatsJSPubOpts { MsgId = job.JobId }, cancellationToken: ct).ConfigureAwait(false);
                ack.EnsureSuccess();
                duplicates += ack.Duplicate ? 1 : 0;
            }
            log.Info($"fleet: submitted {FrameSourceFactory.Redact(plan.Source)}: {plan.FrameCount} frames at {plan.Fps:0.###} fps → {plan.Jobs.Count} segments of {plan.SegmentSeconds:0.###} s (+{plan.OverlapSeconds:0.###} s overlap)" +
                (duplicates > 0 ? $"; {duplicates} were queued already (same job ids)" : ""));
        }
        return plans;
    }

    /// <summary>Frame count and rate of a recorded source. A live or endless source cannot be split and is refused.</summary>
    private static (long Frames, double Fps) Probe(string uri, IPipelineLog log)
    {
        using IFrameSource source = FrameSourceFactory.Open(uri, 0, new SourceOptions { Pacing = Pacing.Lockstep }, log);
        if (source.FrameCount is not long frames || frames <= 0)
        {
            throw new ConfigurationException($"--source '{FrameSourceFactory.Redact(uri)}': not a recording of known length (a live stream, camera or endless generator); fleet jobs need a video file or image folder");
        }
        return (frames, source.FramesPerSecond);
    }
}
