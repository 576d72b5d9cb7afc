using System.Buffers;
using System.Text.Json;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>--stats FILE</c> while the run goes: the report rewritten atomically (temporary file, then rename) once the sinks
/// have started and then every <see cref="Interval"/>, marked <c>"state": "running"</c> with the time it was written,
/// so that a run killed without warning (<c>kill -9</c>, the OOM killer) still leaves its last second's figures. The
/// final report replaces it at exit.
/// </summary>
internal static class LiveStatsFile
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <paramref name="ct"/> is cancelled (never throws); the caller awaits it before writing the final report.</summary>
    public static async Task RunAsync(SegmentationPipeline pipeline, string path, ConsoleLog log, CancellationToken ct)
    {
        pipeline.KeepLiveLatency();
        try
        {
            await pipeline.Started.WaitAsync(ct).ConfigureAwait(false);
            using var timer = new PeriodicTimer(Interval);
            var buffer = new ArrayBufferWriter<byte>(8192);
            using var json = new Utf8JsonWriter(buffer, StatsJsonWriter.Options);
            bool warned = false;
            do
            {
                try
                {
                    StatsJsonWriter.WriteFile(pipeline.Report(), path, buffer, json);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A full disk must not end the run; say it once and keep trying.
                    if (!warned)
                    {
                        log.Warn($"--stats {path}: cannot write it ({e.Message}); retrying every second");
                        warned = true;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run ended: the final report follows.
        }
        catch (Exception) when (pipeline.Started.IsFaulted)
        {
            // A failed start-up is reported by the run itself.
        }
    }
}
