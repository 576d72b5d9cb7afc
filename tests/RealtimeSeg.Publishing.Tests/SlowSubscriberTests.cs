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
        await harness.Publisher.FirstSubscription.WaitAsync(TimeSpan.FromSeconds(30));
        PanopticFrame template = SyntheticScene.Create(640, 360, things: 20);

        for (int i = 0; i < count; i++)
        {
            PanopticFrame frame = harness.Rent();
            frame.CopyFrom(template);
            frame.Sequence = i;
            await harness.WriteAsync(frame);
        }
        harness.Frames.Writer.Complete();
        // A publisher that waited on the subscriber would never finish: the limit only has to be far beyond any healthy
        // run (how fast it finishes is the machine's business, not this test's).
        await harness.Run.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(count, harness.Publisher.FramesPublished);
        Assert.Equal(count, harness.Released);
        Assert.Equal(0, harness.Outstanding);
    }
}
