using System.Net.WebSockets;

namespace RealtimeSeg.Web.Tests;

/// <summary>
/// A viewer client as the page is one (docs/viewer.md): the endpoint's <c>/ws</c> WebSocket, reading the server's
/// messages and acknowledging each frame it reads. Lets a test wait for frames themselves, never for time to pass.
/// </summary>
internal sealed class ViewerSocket : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly byte[] Ack = "a"u8.ToArray();
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[256 * 1024];

    private ViewerSocket()
    {
    }

    public WebSocketState State => _socket.State;

    /// <summary>Connects to <c>/ws</c> on the endpoint whose root is <paramref name="root"/>.</summary>
    public static async Task<ViewerSocket> ConnectAsync(Uri root)
    {
        var viewer = new ViewerSocket();
        using var cts = new CancellationTokenSource(Patience);
        await viewer._socket.ConnectAsync(new Uri($"ws://{root.Authority}/ws"), cts.Token);
        return viewer;
    }

    /// <summary>Reads messages until one of <paramref name="type"/> has been read whole; acknowledges it if it is a frame.</summary>
    public async Task ReceiveAsync(WebSocketMessageType type)
    {
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                WebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(_buffer, cts.Token);
                    Assert.True(r.MessageType != WebSocketMessageType.Close, $"the server closed the viewer socket: {r.CloseStatus} {r.CloseStatusDescription}");
                }
                while (!r.EndOfMessage);
                if (r.MessageType == WebSocketMessageType.Binary)
                {
                    await _socket.SendAsync(Ack, WebSocketMessageType.Text, endOfMessage: true, cts.Token);
                }
                if (r.MessageType == type)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"no {type} message on the viewer socket within {Patience.TotalMinutes} minutes");
        }
    }

    /// <summary>Drops the connection without a closing handshake (as a browser tab that is killed).</summary>
    public void Abort() => _socket.Abort();

    public void Dispose() => _socket.Dispose();
}
