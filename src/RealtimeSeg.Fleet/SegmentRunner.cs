using System.Formats.Tar;
using System.Runtime.CompilerServices;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Fleet;

/// <summary>
/// Runs the pipeline on one job's frames in lockstep (nothing dropped), writing its results into a folder:
/// <see cref="FleetNames.TracksFile"/> (MOTChallenge rows, frame = sequence + 1 of the whole source),
/// <see cref="FleetNames.PanopticArchive"/> (the COCO panoptic dump as one tar) and <see cref="FleetNames.StatsFile"/>.
/// </summary>
internal static class SegmentRunner
{
    /// <param name="progress">Set to the running pipeline's published-frame counter once it is built (the heartbeat reports it).</param>
    public static async Task<PipelineReport> RunAsync(FleetJob job, string folder, IPipelineLog log, StrongBox<Func<long>?> progress, CancellationToken ct)
    {
        PipelineConfig config = BuildConfig(job, folder);
        string dump = Path.Combine(folder, "panoptic-dump");
        SegmentationPipeline pipeline = await SegmentationPipeline.CreateAsync(config, log, null, ct).ConfigureAwait(false);
        PipelineReport report;
        await using (pipeline.ConfigureAwait(false))
        {
            progress.Value = () => pipeline.Status().FramesPublished;
            report = await pipeline.RunAsync(ct).ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();
        foreach (StreamCounters stream in report.Streams)
        {
            if (stream.Error is not null)
            {
                throw new FleetException($"job {job.JobId}: stream {stream.Id} of {FrameSourceFactory.Redact(job.Source)} failed: {stream.Error}");
            }
        }
        long expected = job.EndFrame - job.FirstFrame;
        long corrupt = report.Streams.Sum(s => s.FramesCorrupt);
        if (report.FramesPublished + corrupt != expected)
        {
            throw new FleetException($"job {job.JobId}: {report.FramesPublished} of the segment's {expected} frames came through (frames {job.FirstFrame}…{job.EndFrame - 1} of {FrameSourceFactory.Redact(job.Source)}); the source is shorter or unreadable there");
        }
        StatsJsonWriter.WriteFile(report, Path.Combine(folder, FleetNames.StatsFile));
        await TarFile.CreateFromDirectoryAsync(dump, Path.Combine(folder, FleetNames.PanopticArchive), includeBaseDirectory: false, ct).ConfigureAwait(false);
        Directory.Delete(dump, recursive: true);
        return report;
    }

    /// <summary>The pipeline config of a job: its config file (or the defaults) on its one source, its frame range, dumps into <paramref name="folder"/>.</summary>
    internal static PipelineConfig BuildConfig(FleetJob job, string folder)
    {
        var loader = new PipelineConfigLoader();
        string hash = SegmentPlanner.ConfigHash(job.Config, job.Model);
        if (!string.Equals(hash, job.ConfigHash, StringComparison.Ordinal))
        {
            throw new ConfigurationException($"job {job.JobId}: config '{job.Config ?? "(defaults)"}' with model '{job.Model ?? "(the config's)"}' hashes to {hash} here but {job.ConfigHash} at submit: it changed since (or differs on this host); resubmit");
        }
        PipelineConfig config = job.Config is null ? new PipelineConfig() : loader.Load(job.Config);
        if (job.Model is not null)
        {
            config = config with { Model = config.Model with { Path = job.Model } };
        }
        SourceConfig source = config.Sources.FirstOrDefault(s => string.Equals(s.Uri, job.Source, StringComparison.Ordinal)) ?? new SourceConfig { Uri = job.Source };
        config = config with
        {
            Sources = [source with { Name = null }],
            Playback = new Pipeline.Drives.PlaybackOptions { Loop = false },
            Pipeline = config.Pipeline with
            {
                Pace = Pacing.Lockstep,
                FirstFrame = job.FirstFrame,
                MaxFrames = job.EndFrame,
                WaitForSubscriber = TimeSpan.Zero,
                DumpMot = Path.Combine(folder, FleetNames.TracksFile),
                DumpPanoptic = Path.Combine(folder, "panoptic-dump"),
                Record = null,
            },
            // Nobody subscribes to a worker: an in-process endpoint binds no port, so workers never collide.
            Publish = config.Publish with { Endpoint = "inproc://rseg-fleet-" + Guid.NewGuid().ToString("N") },
            // Nor watches one: a config's viewer endpoint (the demo config serves one) would bind a port per worker.
            Http = new HttpOptions(),
        };
        loader.Validate(config);
        return config;
    }
}
