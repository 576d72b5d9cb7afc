using System.Net;
using System.Net.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Publishing.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests;

public sealed class BindTests
{
    [Fact]
    public async Task RunAsync_PortInUse_FaultsWithSourceUnavailableNamingTheEndpoint()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        int port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        string endpoint = $"tcp://127.0.0.1:{port}";

        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = endpoint });

        SourceUnavailableException e = await Assert.ThrowsAsync<SourceUnavailableException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(endpoint, e.Source);
        Assert.Contains("already in use", e.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, e.Message, StringComparison.Ordinal);
        // An endpoint, not a source: the operator must look at --publish, not at --source.
        Assert.StartsWith($"cannot bind endpoint '{endpoint}'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("source", e.Message, StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<SourceUnavailableException>(() => harness.Publisher.Ready);
    }

    [Fact]
    public async Task RunAsync_UnresolvableHost_FaultsWithSourceUnavailable()
    {
        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = "tcp://no-such-host.invalid:5556", Insecure = true });

        SourceUnavailableException e = await Assert.ThrowsAsync<SourceUnavailableException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("no-such-host.invalid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_WildcardPort_ReportsTheBoundPort()
    {
        await using var harness = new PublisherHarness();

        string endpoint = await harness.EndpointAsync();

        Assert.Matches(@"^tcp://127\.0\.0\.1:\d+$", endpoint);
        Assert.DoesNotContain("*", endpoint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:5556")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://127.0.0.1:70000")]
    [InlineData("udp://127.0.0.1:5556")]
    public void Constructor_InvalidEndpoint_ThrowsConfigurationExceptionNamingIt(string endpoint)
    {
        ConfigurationException e = Assert.Throws<ConfigurationException>(() => new ZeroMqPublisher(new PublisherOptions { Endpoint = endpoint }, new CollectingLog()));

        Assert.Contains("publish.endpoint", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{endpoint}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5556")]
    [InlineData("tcp://*:5556")]
    [InlineData("tcp://localhost:*")]
    [InlineData("tcp://[::1]:5556")]
    [InlineData("inproc://rseg")]
    public void Validate_ValidEndpoint_DoesNotThrow(string endpoint)
    {
        // Insecure: this is about the endpoint's syntax; binding beyond loopback without keys is CurveTests' subject.
        new PublisherOptions { Endpoint = endpoint, Insecure = true }.Validate();
    }

    [Fact]
    public void Validate_HighWaterMarkZero_Throws()
    {
        ConfigurationException e = Assert.Throws<ConfigurationException>(() => new PublisherOptions { SendHighWaterMark = 0 }.Validate());

        Assert.Contains("send_high_water_mark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HighWaterMarkAboveRange_ThrowsGivingTheRange()
    {
        ConfigurationException e = Assert.Throws<ConfigurationException>(() => new PublisherOptions { SendHighWaterMark = 100_000 }.Validate());

        Assert.StartsWith("publish.send_high_water_mark: 100000 is invalid; expected an integer in [1, 1000]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveMetaInterval_Throws()
    {
        Assert.Throws<ConfigurationException>(() => new PublisherOptions { MetaInterval = TimeSpan.Zero }.Validate());
    }
}
