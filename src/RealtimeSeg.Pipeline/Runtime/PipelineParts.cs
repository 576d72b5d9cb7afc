using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime.Sinks;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.Publishing;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Everything one run is made of, built and validated by <see cref="PipelineAssembler"/> before any frame flows, and
/// released by <see cref="DisposeAsync"/> in the reverse order. Owns the models, the sources, the pools, the work items
/// and the sinks.
/// </summary>
internal sealed class PipelineParts : IAsyncDisposable
{
    public required PipelineConfig Config { get; init; }
    public required IPipelineLog Log { get; init; }
    public required ModelSet Models { get; init; }
    public required ModelRunner Runner { get; init; }
    public required StreamContext[] Streams { get; init; }
    public required ProducerEntry[] Producers { get; init; }
    public required CaptureRings Rings { get; init; }
    public required WorkItem[] Work { get; init; }
    public required BlockingPool<WorkItem> FreeWork { get; init; }
    public required ComposedFramePool Composed { get; init; }
    public required SinkRunner[] Sinks { get; init; }
    public required SinkContext SinkContext { get; init; }

    /// <summary>The run's id (protocol v2 <c>run</c>).</summary>
    public required string Run { get; init; }
    public required ZeroMqPublisher Publisher { get; init; }
    public required StatsSink Stats { get; init; }
    public required LatencyRecorder Latency { get; init; }

    /// <summary>The HTTP endpoint's parts (viewer, metrics, health) when <c>http.listen</c> is set; its server starts with the run.</summary>
    public PipelineHttp? Http { get; init; }

    /// <summary>The HTTP server once the run has started it (disposed here).</summary>
    public Web.WebServer? WebServer { get; set; }

    /// <summary>Frame pools this run made (a caller's pool is the caller's to dispose).</summary>
    public required FramePool[] OwnedPools { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (WebServer is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
        // A sink's file may fail to close (a full disk): everything else must still be released. A sink that had already
        // failed was reported then, so its closing error is only logged; a healthy sink's is thrown once all is released.
        Exception? closeFailure = null;
        foreach (SinkRunner s in Sinks)
        {
            try
            {
                await s.Sink.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (s.Failure is null)
                {
                    closeFailure ??= SourceUnavailableException.Output($"sink '{s.Name}'", e.Message, e);
                    Log.Error($"sink {s.Name} failed while closing its output: {e.Message}");
                }
                else
                {
                    Log.Warn($"sink {s.Name}: closing its output after its failure failed too: {e.Message}");
                }
            }
        }
        foreach (ProducerEntry p in Producers)
        {
            p.Producer.Dispose();
        }
        Runner.Dispose();
        foreach (WorkItem w in Work)
        {
            w.Dispose();
        }
        Models.Dispose();
        foreach (StreamContext stream in Streams)
        {
            stream.CameraMotion?.Dispose();
        }
        foreach (FramePool pool in OwnedPools)
        {
            pool.Dispose();
        }
        if (closeFailure is not null)
        {
            throw closeFailure;
        }
    }
}
