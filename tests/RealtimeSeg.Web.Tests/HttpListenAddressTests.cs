using System.Net;
using System.Net.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Web.Tests;

public sealed class HttpListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("8080", "127.0.0.1", 8080)]
    [InlineData("0", "127.0.0.1", 0)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("0.0.0.0:9000", "0.0.0.0", 9000)]
    [InlineData("[::1]:8080", "::1", 8080)]
    public void Parse_ValidForms_AddressAndPort(string text, string address, int port)
    {
        HttpListenAddress parsed = HttpListenAddress.Parse(text, "--http");
        Assert.Equal(IPAddress.Parse(address), parsed.Address);
        Assert.Equal(port, parsed.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:http", "no valid port")]
    [InlineData("127.0.0.1:70000", "no valid port")]
    [InlineData("example.org:80", "not an IP address")]
    [InlineData("::1:8080", "brackets")]
    public void Parse_Invalid_ConfigurationErrorNamingTheKey(string text, string why)
    {
        var e = Assert.Throws<ConfigurationException>(() => HttpListenAddress.Parse(text, "http.listen"));
        Assert.StartsWith("http.listen: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PortTaken_FailsNamingItOrTakesTheNextFreeOne()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var options = new WebServerOptions { Listen = new HttpListenAddress(IPAddress.Loopback, port), Viewer = new ViewerHub() };

        var e = await Assert.ThrowsAsync<SourceUnavailableException>(() => WebServer.StartAsync(options, new CollectingLog(), CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("taken", e.Message, StringComparison.Ordinal);

        // With room to move, it moves on (the next ports may be taken by someone else too: up to 50 tries).
        await using WebServer server = await WebServer.StartAsync(options with { NextFreePorts = 50 }, new CollectingLog(), CancellationToken.None);
        Assert.NotEqual(port, server.Address.Port);
        Assert.InRange(server.Address.Port, port + 1, port + 50);
    }
}
