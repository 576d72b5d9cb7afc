using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Tests.Runtime.Sinks;

/// <summary>A sink that keeps every frame's sequence number and releases the frame at once.</summary>
internal sealed class CountingSink(string name, int capacity = 8) : IFrameSink
{
    private readonly List<long> _sequences = [];
    private readonly List<(string Stream, StreamEndReason Reason)> _ends = [];

    public string Name => name;
    public int QueueCapacity => capacity;

    public IReadOnlyList<long> Sequences
    {
        get { lock (_sequences) { return [.. _sequences]; } }
    }

    /// <summary>Every end of stream received, in order.</summary>
    public IReadOnlyList<(string Stream, StreamEndReason Reason)> Ends
    {
        get { lock (_sequences) { return [.. _ends]; } }
    }

    /// <summary>Completes when the first frame has arrived.</summary>
    public TaskCompletionSource FirstFrame { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        await foreach (ComposedFrame frame in frames.ReadAllAsync(CancellationToken.None))
        {
            lock (_sequences)
            {
                if (frame.IsEndOfStream)
                {
                    Assert.True(_ends.TrueForAll(e => e.Stream != frame.Panoptic.StreamName), "one end per stream");
                    _ends.Add((frame.Panoptic.StreamName, frame.EndReason));
                }
                else
                {
                    Assert.Empty(_ends.FindAll(e => e.Stream == frame.Panoptic.StreamName)); // nothing of a stream after its end
                    _sequences.Add(frame.Panoptic.Sequence);
                }
            }
            Assert.False(frame.Message.IsEmpty, "a sink gets the encoded message with the frame");
            frame.Release();
            FirstFrame.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A sink that holds its first frame until <see cref="Unblock"/> and then reads the rest: a disk or browser that stalled.</summary>
internal sealed class StalledSink(int capacity) : IFrameSink
{
    private readonly TaskCompletionSource _unblock = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;
    private int _ends;

    public string Name => "stalled";
    public int QueueCapacity => capacity;
    public int Received => Volatile.Read(ref _received);
    public int Ends => Volatile.Read(ref _ends);
    public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Unblock() => _unblock.TrySetResult();

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        await foreach (ComposedFrame frame in frames.ReadAllAsync(CancellationToken.None))
        {
            if (frame.IsEndOfStream)
            {
                Interlocked.Increment(ref _ends);
                frame.Release();
                continue;
            }
            if (Interlocked.Increment(ref _received) == 1)
            {
                Holding.TrySetResult();
                await _unblock.Task.WaitAsync(ct);
            }
            frame.Release();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A sink that fails on its n-th frame, like a disk that fills up.</summary>
internal sealed class FailingSink(int failOn) : IFrameSink
{
    public string Name => "failing";
    public int QueueCapacity => 2;

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        int n = 0;
        await foreach (ComposedFrame frame in frames.ReadAllAsync(CancellationToken.None))
        {
            bool end = frame.IsEndOfStream;
            frame.Release();
            if (!end && ++n == failOn)
            {
                throw new IOException("No space left on device (test)");
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
