using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Publishing.Tests;

public sealed class SlowSubscriberTests
{
    [Fact]
    public async Task RunAsync_SubscriberThatNeverReads_DoesNotBlockThePublisher()
    {
        const int count = 2000;
        var options = new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", SendHighWaterMark = 8 };
        await using var harness = new PublisherHarness(options);
        string endpoint = await harness.EndpointAsync();
        // A subscriber that connects and subscribes, then never receives a single message.
        using var stalled = new SubscriberSocket();
        stalled.Options.ReceiveHighWatermark = 1;
        stalled.Options.Linger = TimeSpan.Zero;
        stalled.Connect(endpoint);
        stalled.Subscribe(WireFormat.TopicRoot);
        await Eventually.True(() => harness.Publisher.MetaMessagesSent > 0, TimeSpan.FromSeconds(10), "the stalled subscriber's subscription");
        PanopticFrame template = SyntheticScene.Create(640, 360, things: 20);
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < count; i++)
        {
            PanopticFrame frame = harness.Rent();
            frame.CopyFrom(template);
            frame.Sequence = i;
            await harness.WriteAsync(frame);
        }
        harness.Frames.Writer.Complete();
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        Assert.Equal(count, harness.Publisher.FramesPublished);
        Assert.Equal(count, harness.Released);
        Assert.Equal(0, harness.Outstanding);
        // Generous bound: a blocked publisher would never finish; this only has to show it did not wait on the subscriber.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"publishing took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
