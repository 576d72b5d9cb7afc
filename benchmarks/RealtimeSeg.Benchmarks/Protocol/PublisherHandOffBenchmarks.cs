using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;
using RealtimeSeg.Publishing;

namespace RealtimeSeg.Benchmarks.Protocol;

/// <summary>
/// One composed frame through a real <see cref="ZeroMqPublisher"/> sink: written to its queue, picked up by the socket
/// thread, sent on a loopback XPUB socket and released. The wire message is encoded once by the pipeline's encode
/// stage (<see cref="SerializerBenchmarks.Serialize"/>); this is what the hand-off to the socket thread and the send add.
/// The benchmark thread spins until the reference comes back, so the figure is the full round trip of one frame while
/// the publisher thread was idle (blocked on the channel), the case that pays the wake-up.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class PublisherHandOffBenchmarks
{
    private Channel<ComposedFrame> _channel = null!;
    private ZeroMqPublisher _publisher = null!;
    private Task _run = null!;
    private ComposedFrame _frame = null!;

    [Params(false, true)]
    public bool SynchronousContinuations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var pool = new ComposedFramePool(1);
        pool.TryRent(out _frame);
        _frame.Panoptic.CopyFrom(BenchmarkScene.Create(640, 360, segments: 20));
        new PanopticFrameSerializer(MapEncoding.Rle16).Write(_frame.MessageWriter, _frame.Panoptic);
        _channel = Channel.CreateBounded<ComposedFrame>(new BoundedChannelOptions(4)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = SynchronousContinuations,
        });
        _publisher = new ZeroMqPublisher(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", MapEncoding = MapEncoding.Rle16 }, NullPipelineLog.Instance);
        _publisher.AddStream(0, "s0", CategoryTable.Unnamed(80));
        _run = _publisher.RunAsync(_channel.Reader, CancellationToken.None);
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
        // The benchmark keeps one reference; the publisher's comes back once the frame is sent.
        _frame.AddRef();
        _channel.Writer.TryWrite(_frame);
        var spin = default(SpinWait);
        while (_frame.References > 1)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
