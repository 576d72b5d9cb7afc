using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Benchmarks.Protocol;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Benchmarks.Client;

/// <summary>
/// One 1280x720 frame (map 640x360, 20 segments, rle16) received by the client and lent and returned, two ways:
/// <list type="bullet">
/// <item><see cref="DecodeLendReturn"/>: the receive thread's work (topic, decode into a pooled frame, category
/// match, gap count, queue) and the consumer's <c>TryReceive</c> + <c>Dispose</c>, on the benchmark thread
/// without a socket — everything of ours, which must show 0 B.</item>
/// <item><see cref="ReceiveThroughSocket"/>: the real path — the benchmark thread sends the prebuilt message on a
/// loopback XPUB socket (as GC-owned parts, so the sending side allocates nothing) and blocks in
/// <c>SegmentationSubscriber.TryReceive(out loan, timeout)</c> until the subscriber's receive thread has decoded it.
/// BenchmarkDotNet counts every thread's allocations, so this includes NetMQ's own per-message cost on its I/O
/// thread: one 24-byte reference counter per received message part (2 parts = 48 B), which NetMQ offers no safe
/// way to pool (see SharedArrayBufferPool).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class ClientReceiveBenchmarks
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    private byte[] _topic = [];
    private byte[] _payload = [];
    private FrameExchange _exchange = null!;
    private FrameReceiver _receiver = null!;
    private XPublisherSocket _publisher = null!;
    private SegmentationSubscriber _subscriber = null!;

    [GlobalSetup(Target = nameof(DecodeLendReturn))]
    public void SetupInProcess()
    {
        CategoryTable categories = BuildMessage();
        var options = new SubscriberOptions();
        _exchange = new FrameExchange(options);
        _receiver = new FrameReceiver(options, _exchange, NullPipelineLog.Instance, _ => { }, _ => { }, (in ImageHeader _, ReadOnlyMemory<byte> _) => { });
        _receiver.OnMessage(Encoding.ASCII.GetBytes(WireFormat.MetaTopic("s0")), CategoryTableSerializer.ToArray("s0", categories));
    }

    [GlobalSetup(Target = nameof(ReceiveThroughSocket))]
    public void SetupSocket()
    {
        CategoryTable categories = BuildMessage();
        _publisher = new XPublisherSocket();
        _publisher.Options.Linger = TimeSpan.Zero;
        int port = _publisher.BindRandomPort("tcp://127.0.0.1");
        _subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = $"tcp://127.0.0.1:{port}" });
        // The subscription must have arrived before anything is sent, or ZeroMQ drops it (slow joiner).
        if (!_publisher.TryReceiveFrameBytes(ReceiveTimeout, out _))
        {
            throw new InvalidOperationException("the subscriber's subscription never arrived");
        }
        _publisher.SendMoreFrame(WireFormat.MetaTopic("s0")).SendFrame(CategoryTableSerializer.ToArray("s0", categories));
        var deadline = DateTime.UtcNow + ReceiveTimeout;
        while (_subscriber.MetaMessagesReceived == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }
    }

    [GlobalCleanup(Target = nameof(ReceiveThroughSocket))]
    public void CleanupSocket()
    {
        _subscriber.Dispose();
        _publisher.Dispose();
    }

    [Benchmark]
    public int DecodeLendReturn()
    {
        _receiver.OnMessage(_topic, _payload);
        if (!_exchange.TryLend(out FrameLoan loan))
        {
            throw new InvalidOperationException("the frame was not delivered");
        }
        using (loan)
        {
            return loan.Frame.SegmentCount;
        }
    }

    [Benchmark]
    public int ReceiveThroughSocket()
    {
        var part = default(Msg);
        part.InitGC(_topic, _topic.Length);
        _publisher.Send(ref part, more: true);
        part.Close();
        part.InitGC(_payload, _payload.Length);
        _publisher.Send(ref part, more: false);
        part.Close();
        if (!_subscriber.TryReceive(out FrameLoan loan, ReceiveTimeout))
        {
            throw new InvalidOperationException("no frame within 10 s");
        }
        using (loan)
        {
            return loan.Frame.SegmentCount;
        }
    }

    /// <summary>The frame message every invocation receives (the same bytes each time: same sequence, so no gaps are counted).</summary>
    private CategoryTable BuildMessage()
    {
        var categories = CategoryTable.Unnamed(133);
        PanopticFrame frame = BenchmarkScene.Create(640, 360, segments: 20);
        frame.CategoryTableVersion = categories.Version;
        var output = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer(MapEncoding.Rle16).Write(output, frame);
        _payload = output.WrittenSpan.ToArray();
        _topic = Encoding.ASCII.GetBytes(WireFormat.FrameTopic("s0"));
        return categories;
    }
}
