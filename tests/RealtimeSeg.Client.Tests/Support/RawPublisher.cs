using System.Buffers;
using System.Text;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Client.Tests.Support;

/// <summary>
/// A bare XPUB socket that sends exactly the messages a test composes, in the order it wants — for client
/// behaviour the real publisher never produces on purpose (frames before tables, gaps, garbage).
/// </summary>
public sealed class RawPublisher : IDisposable
{
    private readonly XPublisherSocket _socket = new();

    public RawPublisher()
    {
        _socket.Options.Linger = TimeSpan.Zero;
        _socket.Options.XPubVerbose = true;
        Endpoint = _socket.BindRandomPort("tcp://127.0.0.1") is int port ? $"tcp://127.0.0.1:{port}" : "";
    }

    public string Endpoint { get; }

    /// <summary>Waits for <paramref name="count"/> subscription messages, so nothing sent afterwards is lost to the slow-joiner effect.</summary>
    public void AwaitSubscriptions(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(_socket.TryReceiveFrameBytes(TimeSpan.FromSeconds(10), out _), "no subscription arrived");
        }
    }

    public void Send(string topic, byte[] payload) => _socket.SendMoreFrame(Encoding.ASCII.GetBytes(topic)).SendFrame(payload);

    public void SendSinglePart(string text) => _socket.SendFrame(text);

    public void SendFrame(PanopticFrame frame)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, frame);
        Send(WireFormat.FrameTopic(frame.StreamName), buffer.WrittenSpan.ToArray());
    }

    public void SendMeta(string stream, CategoryTable categories) => Send(WireFormat.MetaTopic(stream), CategoryTableSerializer.ToArray(stream, categories));

    public void Dispose() => _socket.Dispose();
}
