using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Bench;

/// <summary>
/// The benchmark's own sink: copies every published frame's stage stamps and pipeline work into arrays sized up front
/// (so recording allocates nothing and costs a copy of fourteen numbers), and samples the process's allocation and gen2
/// count once when warm-up ends and once at the end — never per frame. Frames past the arrays' capacity are counted,
/// not recorded.
/// </summary>
internal sealed class BenchProbe : IFrameSink
{
    private readonly long[] _stamps;
    private readonly FrameWork[] _work;
    private readonly int _capacity;
    private readonly int _warmUp;
    private int _count;
    private long _overflow;

    /// <param name="capacity">Frames to record.</param>
    /// <param name="warmUp">Frames after which allocation and gen2 collections start to count.</param>
    public BenchProbe(int capacity, int warmUp)
    {
        _capacity = capacity;
        _warmUp = warmUp;
        _stamps = new long[capacity * PipelineStages.Count];
        _work = new FrameWork[capacity];
    }

    public string Name => "bench";

    /// <summary>Never the bottleneck (a copy per frame), but deep enough that a descheduled moment drops nothing.</summary>
    public int QueueCapacity => 32;

    public int Count => Volatile.Read(ref _count);
    public long Overflow => Interlocked.Read(ref _overflow);

    /// <summary>Process allocation (imprecise counter) and gen2 count when warm-up ended, and at the end.</summary>
    public (long Bytes, int Gen2, int Frames) AtWarmUp { get; private set; }
    public (long Bytes, int Gen2, int Frames) AtEnd { get; private set; }

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        try
        {
            while (await frames.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (frames.TryRead(out ComposedFrame? frame))
                {
                    Record(frame);
                }
            }
        }
        finally
        {
            AtEnd = Sample();
        }
    }

    /// <summary>Stamps of frame <paramref name="index"/> (by <see cref="PipelineStage"/>); read after the run.</summary>
    public ReadOnlySpan<long> Stamps(int index) => _stamps.AsSpan(index * PipelineStages.Count, PipelineStages.Count);

    /// <summary>Pipeline work of frame <paramref name="index"/> in ns (outside the model run and video decode).</summary>
    public long WorkNs(int index) => _work[index].TotalNs;

    /// <summary>The same by part.</summary>
    public FrameWork Work(int index) => _work[index];

    private void Record(ComposedFrame frame)
    {
        try
        {
            if (frame.IsEndOfStream)
            {
                return;
            }
            int n = _count;
            if (n >= _capacity)
            {
                Interlocked.Increment(ref _overflow);
                return;
            }
            frame.Panoptic.StageNs.AsSpan().CopyTo(_stamps.AsSpan(n * PipelineStages.Count, PipelineStages.Count));
            _work[n] = frame.Work;
            Volatile.Write(ref _count, n + 1);
            if (n + 1 == _warmUp)
            {
                AtWarmUp = Sample();
            }
        }
        finally
        {
            frame.Release();
        }
    }

    private (long, int, int) Sample() => (GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(2), Count);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
