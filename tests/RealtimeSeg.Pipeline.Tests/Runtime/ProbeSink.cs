using System.Threading.Channels;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// A test's extra sink (<see cref="PipelineHostOptions.Sinks"/>): counts the frames handed to it, releasing each at
/// once, and tells when <c>signalAt</c> of them have arrived — the event a test waits on to act mid-run.
/// </summary>
internal sealed class ProbeSink(int signalAt = 1) : IFrameSink
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _frames;

    public string Name => "probe";

    public int QueueCapacity => 4;

    /// <summary>Completes when <c>signalAt</c> composed frames have reached this sink (the first: every stage has run once).</summary>
    public Task Arrived => _arrived.Task;

    public long Frames => Interlocked.Read(ref _frames);

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        while (await frames.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (frames.TryRead(out ComposedFrame? frame))
            {
                frame.Release();
                if (Interlocked.Increment(ref _frames) >= signalAt)
                {
                    _arrived.TrySetResult();
                }
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
