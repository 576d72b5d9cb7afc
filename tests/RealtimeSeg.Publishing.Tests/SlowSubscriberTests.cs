using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Client;
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

    [Fact]
    public async Task RunAsync_ConsumerThatReadsLate_EveryLostFrameIsCounted()
    {
        const int count = 300;
        var options = new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", SendHighWaterMark = 2 };
        await using var harness = new PublisherHarness(options);
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = await harness.EndpointAsync(), ReceiveHighWaterMark = 2, BufferCapacity = 2 });
        await Eventually.True(() => subscriber.MetaMessagesReceived > 0, TimeSpan.FromSeconds(10), "the table");

        PanopticFrame template = SyntheticScene.Create(320, 180, things: 10);
        for (int i = 0; i < count; i++)
        {
            PanopticFrame frame = harness.Rent();
            frame.CopyFrom(template);
            frame.Sequence = i;
            await harness.WriteAsync(frame);
        }
        harness.Frames.Writer.Complete();
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(300);

        // Never read until now: the local buffer kept only the newest frames it received. ZeroMQ drops what
        // does not fit the queues, which shows up as gaps; together every frame up to the last one is accounted for.
        var seqs = new List<long>();
        while (await subscriber.TryReadAsync(TimeSpan.FromMilliseconds(200)) is { } f)
        {
            seqs.Add(f.Frame.Sequence);
        }
        Assert.InRange(seqs.Count, 1, 2);
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs[^1] + 1, subscriber.FramesReceived + subscriber.FramesMissed);
        Assert.Equal(subscriber.FramesReceived - seqs.Count, subscriber.FramesDropped);
        Assert.Equal(count, harness.Publisher.FramesPublished);
    }
}
