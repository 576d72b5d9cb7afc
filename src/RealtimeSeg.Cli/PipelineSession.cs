using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary>
/// What <c>run</c> and <c>demo</c> share: build the pipeline giving way to a stop (a model may take seconds to load),
/// run it with <c>--stats</c> rewritten every second while it runs (<see cref="LiveStatsFile"/>), and write the final
/// <c>--stats</c> however it ended — a stop during start-up writes an empty report, so a script finds
/// the file it asked for.
/// </summary>
internal static class PipelineSession
{
    /// <summary>The report, or null when stopped before the pipeline was built (the stats file then holds zeros).</summary>
    public static async Task<PipelineReport?> RunAsync(PipelineConfig config, ConsoleLog log, string? statsPath,
        Func<SegmentationPipeline, Task<PipelineReport>> run, CancellationToken ct, PipelineHostOptions? host = null)
    {
        SegmentationPipeline pipeline;
        try
        {
            pipeline = await SegmentationPipeline.CreateAsync(config, log, host, ct).ConfigureAwait(false);
        }
        catch (StartupAbandonedException e)
        {
            log.Info($"stopped during start-up: {e.Message}; exiting without waiting for it");
            WriteStats(new PipelineReport(), statsPath);
            throw; // Program exits without native teardown
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.Info("stopped during start-up");
            WriteStats(new PipelineReport(), statsPath);
            return null;
        }
        await using (pipeline.ConfigureAwait(false))
        {
            PipelineReport report;
            using var stopLive = new CancellationTokenSource();
            Task live = statsPath is null ? Task.CompletedTask : LiveStatsFile.RunAsync(pipeline, statsPath, log, stopLive.Token);
            try
            {
                report = await run(pipeline).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopped while the sinks were starting (before any frame): nothing ran.
                report = pipeline.Report();
            }
            finally
            {
                // The live file's writer must be done before the final report takes the same temporary name.
                await stopLive.CancelAsync().ConfigureAwait(false);
                await live.ConfigureAwait(false);
            }
            WriteStats(report, statsPath);
            return report;
        }
    }

    private static void WriteStats(PipelineReport report, string? statsPath)
    {
        if (statsPath is null)
        {
            return;
        }
        try
        {
            StatsJsonWriter.WriteFile(report, statsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SourceUnavailableException.Output($"--stats '{statsPath}'", e.Message, e);
        }
    }
}
