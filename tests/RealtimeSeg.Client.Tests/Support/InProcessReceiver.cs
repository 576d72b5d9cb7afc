using System.Buffers;
using System.Text;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Client.Tests.Support;

/// <summary>
/// A subscriber's receive side — the <see cref="FrameReceiver"/> and its <see cref="FrameExchange"/> pool — driven
/// on the test thread with serialized messages instead of a socket, so pool, drop and lending behaviour can be
/// asserted exactly, without waiting on another thread.
/// </summary>
internal sealed class InProcessReceiver
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly PanopticFrameSerializer _serializer = new();

    public InProcessReceiver(SubscriberOptions options)
    {
        Exchange = new FrameExchange(options);
        Receiver = new FrameReceiver(options, Exchange, Log, _ => { }, _ => { }, (in ImageHeader _, ReadOnlyMemory<byte> _) => { });
    }

    public CollectingLog Log { get; } = new();
    public FrameExchange Exchange { get; }
    public FrameReceiver Receiver { get; }

    /// <summary>A receiver whose stream s0 already has <see cref="Protocol.Tests.Support.SyntheticScene.Categories"/>, so frames are delivered at once.</summary>
    public static InProcessReceiver WithTable(int bufferCapacity = 16, int loanCapacity = 2, bool diagnostics = false)
    {
        var receiver = new InProcessReceiver(new SubscriberOptions { BufferCapacity = bufferCapacity, LoanCapacity = loanCapacity, Diagnostics = diagnostics });
        receiver.SendMeta("s0", Protocol.Tests.Support.SyntheticScene.Categories);
        return receiver;
    }

    public void SendFrame(PanopticFrame frame)
    {
        _buffer.ResetWrittenCount();
        _serializer.Write(_buffer, frame);
        Receiver.OnMessage(Encoding.ASCII.GetBytes(WireFormat.FrameTopic(frame.StreamName)), _buffer.WrittenMemory);
    }

    public void SendMeta(string stream, CategoryTable categories)
        => Receiver.OnMessage(Encoding.ASCII.GetBytes(WireFormat.MetaTopic(stream)), CategoryTableSerializer.ToArray(stream, categories));

    /// <summary>Lends the next frame, failing the test when none is queued.</summary>
    public FrameLoan Lend()
    {
        Assert.True(Exchange.TryLend(out FrameLoan loan), "a frame is queued");
        return loan;
    }
}
