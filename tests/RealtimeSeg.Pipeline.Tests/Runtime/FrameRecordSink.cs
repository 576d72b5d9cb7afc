using System.Threading.Channels;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// A test's extra sink (<see cref="PipelineHostOptions.Sinks"/>) that records one value per frame it gets (ends of
/// stream skipped), in arrival order; read <see cref="Records"/> once the run has ended.
/// </summary>
internal sealed class FrameRecordSink<T>(string name, Func<ComposedFrame, T> record) : IFrameSink
{
    private readonly List<T> _records = [];

    public string Name => name;

    public int QueueCapacity => 64;

    public IReadOnlyList<T> Records => _records;

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        while (await frames.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (frames.TryRead(out ComposedFrame? frame))
            {
                if (!frame.IsEndOfStream)
                {
                    _records.Add(record(frame));
                }
                frame.Release();
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
