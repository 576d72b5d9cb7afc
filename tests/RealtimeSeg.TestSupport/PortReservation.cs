using System.Net;
using System.Net.Sockets;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A TCP port on 127.0.0.1 held for as long as a test needs it: a socket bound to a port the system picks, with
/// SO_REUSEADDR, that never listens. Connecting to the port is refused (a server that is down), no other process can
/// take it, and a server that binds with SO_REUSEADDR (GStreamer's RTSP server does) can still listen on it — and
/// listen again after a restart. Unlike a port found free and then released, nobody can take it in between.
/// </summary>
public sealed class PortReservation : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public PortReservation()
    {
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public int Port { get; }

    public void Dispose() => _socket.Dispose();
}
