using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Publishing;

namespace RealtimeSeg.Benchmarks.Protocol;

/// <summary>
/// One frame through a real <see cref="ZeroMqPublisher"/>: written to the channel, picked up by the socket
/// thread, stamped, serialized, sent on a loopback XPUB socket and released. Compare with
/// <see cref="SerializerBenchmarks.Serialize"/> to see what the hand-off to the socket thread and the send add.
/// The benchmark thread spins until the frame comes back, so the figure is the full round trip of one frame
/// while the publisher thread was idle (blocked on the channel), the case that pays the wake-up.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class PublisherHandOffBenchmarks
{
    private Channel<PanopticFrame> _channel = null!;
    private ZeroMqPublisher _publisher = null!;
    private Task _run = null!;
    private PanopticFrame _frame = null!;
    private volatile bool _released;

    [Params(false, true)]
    public bool SynchronousContinuations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = BenchmarkScene.Create(640, 360, segments: 20);
        _channel = Channel.CreateBounded<PanopticFrame>(new BoundedChannelOptions(4)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = SynchronousContinuations,
        });
        _publisher = new ZeroMqPublisher(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", MapEncoding = MapEncoding.Rle16 }, NullPipelineLog.Instance);
        _publisher.AddStream(0, "s0", CategoryTable.Unnamed(80));
        _run = _publisher.RunAsync(_channel.Reader, _ => _released = true, CancellationToken.None);
        _publisher.Ready.GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.Complete();
        _run.GetAwaiter().GetResult();
        _publisher.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public void PublishOneFrame()
    {
        _released = false;
        _channel.Writer.TryWrite(_frame);
        var spin = default(SpinWait);
        while (!_released)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
