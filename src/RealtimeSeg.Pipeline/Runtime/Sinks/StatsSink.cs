using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// The run's measurements as a sink: every published frame's stage stamps go into the latency histograms (on this sink's
/// own loop, the only thread that touches them, so recording takes no lock), and every
/// <see cref="SnapshotInterval"/> the live figures the status line shows are refreshed, together with the process's
/// allocation since warm-up — measured per interval with the cheap, imprecise counter, never per frame. When asked
/// (<see cref="LatencySnapshots"/>), every <see cref="LatencySnapshotInterval"/> it also summarizes every histogram into a
/// <see cref="LatencySnapshot"/>, which a report taken while running (the <c>--stats</c> file rewritten every second) uses.
/// </summary>
internal sealed class StatsSink : IFrameSink
{
    /// <summary>Frames published before allocation is measured: JIT tiering, pools and buffers growing to the stream settle first.</summary>
    public const int WarmUpFrames = 30;

    public static readonly TimeSpan SnapshotInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the full latency summary is refreshed for reports taken while running.</summary>
    public static readonly TimeSpan LatencySnapshotInterval = TimeSpan.FromSeconds(1);

    private readonly LatencyRecorder _latency;
    private readonly Metrics.StageLatencyMetrics? _metrics;
    private readonly StreamContext[] _streams;
    private readonly long _intervalNs = (long)SnapshotInterval.TotalNanoseconds;
    private readonly long _latencySnapshotIntervalNs = (long)LatencySnapshotInterval.TotalNanoseconds;
    private long _nextSnapshotNs;
    private long _nextLatencySnapshotNs;
    private LatencySnapshot? _latencySnapshot;
    private bool _latencySnapshots;
    private long _recorded;
    private long _p50Bits;
    private long _p99Bits;
    private long _allocAtWarmUp;
    private long _publishedAtWarmUp = -1;
    private long _allocLast;
    private long _publishedLast;

    /// <param name="metrics">Prometheus stage histograms fed from the same stamps (with an HTTP endpoint), or null.</param>
    public StatsSink(LatencyRecorder latency, StreamContext[] streams, Metrics.StageLatencyMetrics? metrics = null)
    {
        _latency = latency;
        _metrics = metrics;
        _streams = streams;
    }

    public string Name => "stats";

    public int QueueCapacity => 8;

    /// <summary>Frames whose latencies were recorded.</summary>
    public long FramesRecorded => Interlocked.Read(ref _recorded);

    /// <summary>Capture → publish median and 99th percentile (ms) as of the last snapshot; readable from any thread.</summary>
    public (double P50, double P99) CaptureToPublish
        => (BitConverter.Int64BitsToDouble(Interlocked.Read(ref _p50Bits)), BitConverter.Int64BitsToDouble(Interlocked.Read(ref _p99Bits)));

    /// <summary>
    /// Whether the full latency summary is refreshed every <see cref="LatencySnapshotInterval"/> while the run goes (for a
    /// <c>--stats</c> file rewritten every second); off by default, since a summary allocates. Any thread may set it.
    /// </summary>
    public bool LatencySnapshots
    {
        get => Volatile.Read(ref _latencySnapshots);
        set => Volatile.Write(ref _latencySnapshots, value);
    }

    /// <summary>Every latency summary as of the last full snapshot (at most <see cref="LatencySnapshotInterval"/> old while frames come); null before the first.</summary>
    public LatencySnapshot? Latency => Volatile.Read(ref _latencySnapshot);

    /// <summary>Managed bytes allocated by the whole process per published frame between warm-up and the last snapshot (0 before).</summary>
    public double AllocatedBytesPerFrame
    {
        get
        {
            long frames = Interlocked.Read(ref _publishedLast) - Interlocked.Read(ref _publishedAtWarmUp);
            return Interlocked.Read(ref _publishedAtWarmUp) >= 0 && frames > 0
                ? (double)(Interlocked.Read(ref _allocLast) - Interlocked.Read(ref _allocAtWarmUp)) / frames
                : 0;
        }
    }

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
            long now = MonotonicClock.NowNs();
            Snapshot(now);
            SnapshotLatency(now);
        }
    }

    private void Record(ComposedFrame frame)
    {
        if (frame.IsEndOfStream)
        {
            frame.Release();
            return;
        }
        try
        {
            PanopticFrame panoptic = frame.Panoptic;
            _latency.Record(panoptic.StageNs, panoptic.StreamIndex, frame.WorkNs);
            _metrics?.Observe(panoptic.StageNs, panoptic.StreamIndex);
        }
        finally
        {
            frame.Release();
        }
        long n = Interlocked.Increment(ref _recorded);
        if (n == WarmUpFrames)
        {
            Interlocked.Exchange(ref _allocAtWarmUp, GC.GetTotalAllocatedBytes(precise: false));
            Interlocked.Exchange(ref _publishedAtWarmUp, Published());
        }
        long now = MonotonicClock.NowNs();
        if (now >= _nextSnapshotNs)
        {
            Snapshot(now);
        }
        if (now >= _nextLatencySnapshotNs && LatencySnapshots)
        {
            SnapshotLatency(now);
        }
    }

    /// <summary>Once a second, not per frame: summarizing every histogram allocates a few hundred bytes.</summary>
    private void SnapshotLatency(long now)
    {
        _nextLatencySnapshotNs = now + _latencySnapshotIntervalNs;
        Volatile.Write(ref _latencySnapshot, LatencySnapshot.Take(_latency, _streams.Length));
    }

    private void Snapshot(long now)
    {
        _nextSnapshotNs = now + _intervalNs;
        (double p50, double p99) = _latency.Percentiles(LatencyStage.CaptureToPublish);
        Interlocked.Exchange(ref _p50Bits, BitConverter.DoubleToInt64Bits(p50));
        Interlocked.Exchange(ref _p99Bits, BitConverter.DoubleToInt64Bits(p99));
        if (Interlocked.Read(ref _publishedAtWarmUp) >= 0)
        {
            Interlocked.Exchange(ref _allocLast, GC.GetTotalAllocatedBytes(precise: false));
            Interlocked.Exchange(ref _publishedLast, Published());
        }
    }

    private long Published()
    {
        long sum = 0;
        foreach (StreamContext s in _streams)
        {
            sum += s.FramesPublished;
        }
        return sum;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
