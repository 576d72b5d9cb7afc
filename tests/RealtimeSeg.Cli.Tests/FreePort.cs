using System.Net;
using System.Net.Sockets;

namespace RealtimeSeg.Cli.Tests;

internal static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 free at the time of the call.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
