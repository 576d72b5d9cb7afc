using System.Text.Json.Nodes;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>The live NATS bridge: a subscriber on <c>nats://</c> gets the same frames as the ZeroMQ subscriber of the same run.</summary>
public sealed class NatsBridgeTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(3);

    [NatsFact]
    public void Run_PublishingOnZeroMqAndNats_NatsSubscriberReceivesTheSameFrames()
    {
        using var server = NatsTestServer.Start();
        // Core NATS keeps nothing for a subscriber that comes late: it subscribes first (it says so after a round trip).
        using CliProcess viaNats = CliProcess.Start("subscribe", "--connect", server.Url, "--json", "--count", "12", "--timeout", "120");
        viaNats.WaitForStderr("^subscribed to ", Step);

        // The demo's pipeline (synthetic drive → bundled model → tracker), small and in lockstep, on both transports.
        var (publisher, viaZeroMq, _) = CliProcess.StartWithSubscriber(
            ["run", "--source", "synthetic:drive?seed=2&size=320x180", "--max-frames", "12", "--pace", "lockstep", "--publish", server.Url],
            "--json", "--count", "12");
        using (publisher)
        using (viaZeroMq)
        {
            Assert.True(publisher.WaitForExit(Step) == 0, publisher.Stderr);
            Assert.True(viaZeroMq.WaitForExit(Step) == 0, viaZeroMq.Stderr);
            Assert.True(viaNats.WaitForExit(Step) == 0, viaNats.Stderr);
            string[] zeroMq = Content(viaZeroMq.Stdout), nats = Content(viaNats.Stdout);
            Assert.Equal(12, zeroMq.Length);
            Assert.Equal(zeroMq, nats);
            Assert.Contains("\"category_name\":\"road\"", nats[0], StringComparison.Ordinal); // the category table came over NATS too
        }
    }

    /// <summary>Each frame's JSON without what differs by receiver (receive time, latency).</summary>
    private static string[] Content(string stdout)
        => [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            JsonObject frame = JsonNode.Parse(line)!.AsObject();
            frame.Remove("receive_time_unix_ns");
            frame.Remove("latency_ms");
            return frame.ToJsonString();
        })];
}
