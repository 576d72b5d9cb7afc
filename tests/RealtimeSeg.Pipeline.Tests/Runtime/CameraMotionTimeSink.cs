using System.Threading.Channels;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>A test's extra sink: records each frame's <see cref="FrameWork.CameraMotionNs"/> (frames in arrival order).</summary>
internal sealed class CameraMotionTimeSink : IFrameSink
{
    private readonly List<long> _times = [];

    public string Name => "camera-motion-times";

    public int QueueCapacity => 64;

    /// <summary>Read after the run.</summary>
    public IReadOnlyList<long> Times => _times;

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
                    _times.Add(frame.Work.CameraMotionNs);
                }
                frame.Release();
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
