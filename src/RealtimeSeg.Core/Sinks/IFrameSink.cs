using System.Threading.Channels;

namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// An output of the pipeline: the ZeroMQ publisher, a dump writer, the stats reporter, a recorder, a viewer. Each sink
/// reads <see cref="ComposedFrame"/>s from its own bounded queue, which the pipeline fills and empties as the sink's
/// pace allows (drop-oldest, counted per sink), so a slow or failed sink never slows capture, inference or the other
/// sinks. Nothing flows back: a sink never calls into the pipeline.
/// <para>Order: <see cref="StartAsync"/> once, before any frame (open files, bind sockets; a failure here fails the
/// run's start-up), then <see cref="RunAsync"/> once, then <see cref="IAsyncDisposable.DisposeAsync"/>.</para>
/// </summary>
public interface IFrameSink : IAsyncDisposable
{
    /// <summary>Short, unique among the run's sinks (stats and logs name the sink by it), e.g. <c>zeromq</c>, <c>mot-dump</c>.</summary>
    string Name { get; }

    /// <summary>Frames the sink's queue holds before the oldest is dropped (the pipeline may override it).</summary>
    int QueueCapacity { get; }

    /// <summary>Opens what the sink writes to. Throws <see cref="SourceUnavailableException"/> (exit 3) or <see cref="ConfigurationException"/> (exit 2).</summary>
    Task StartAsync(SinkContext context, CancellationToken ct);

    /// <summary>
    /// Consumes <paramref name="frames"/> until the channel completes (drain: write what is queued, then return) or
    /// <paramref name="ct"/> is cancelled (abort: return soon). Owns every frame it reads: calls
    /// <see cref="ComposedFrame.Release"/> on each exactly once, also when writing it failed. Holds at most one frame
    /// outside the queue at a time. A sink that fails throws; the pipeline reports it, drops its further frames
    /// (counted) and runs on.
    /// </summary>
    Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct);
}
