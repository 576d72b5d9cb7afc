using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Publishing.Tests;

public sealed class LateJoinerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // The periodic safety net is pushed out of reach so only the answer to the subscription can deliver the table.
    private static readonly PublisherOptions NoPeriodicMeta = new() { Endpoint = "tcp://127.0.0.1:*", MetaInterval = TimeSpan.FromHours(1) };

    [Fact]
    public async Task Subscribe_WhileNoFramesFlow_ReceivesCategoryTableInAnswerToTheSubscription()
    {
        await using var harness = new PublisherHarness(NoPeriodicMeta);
        string endpoint = await harness.EndpointAsync();

        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint });

        // The periodic resend is an hour away: only the publisher's answer to the subscription can bring the table.
        await TableArrival.WaitAsync(subscriber, 1, Timeout, "the category table");
        CategoryTableMessage? meta = subscriber.GetCategories("s0");
        Assert.NotNull(meta);
        Assert.Equal("s0", meta.Stream);
        Assert.Equal(SyntheticScene.Categories.Version, meta.Version);
        Assert.Equal(0, harness.Publisher.FramesPublished);
    }

    [Fact]
    public async Task Subscribe_SecondSubscriberToSameTopic_AlsoGetsTheTable()
    {
        // XPubVerbose: a repeated subscription to the same prefix must still reach the publisher.
        await using var harness = new PublisherHarness(NoPeriodicMeta);
        string endpoint = await harness.EndpointAsync();
        await using var first = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint });
        await TableArrival.WaitAsync(first, 1, Timeout, "the first subscriber's table");

        await using var second = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint });

        // As above, the periodic resend is out of reach: the table comes only if the second subscription got through.
        await TableArrival.WaitAsync(second, 1, Timeout, "the second subscriber's table");
    }

    [Fact]
    public async Task Subscribe_WhileFramesFlow_FirstFrameComesWithItsCategoryTable()
    {
        await using var harness = new PublisherHarness(NoPeriodicMeta);
        string endpoint = await harness.EndpointAsync();
        using var stop = new CancellationTokenSource();
        Task producer = Task.Run(async () =>
        {
            for (long seq = 0; !stop.IsCancellationRequested; seq++)
            {
                PanopticFrame frame = harness.Rent();
                SyntheticScene.Fill(frame, 64, 36, things: 4, sequence: seq);
                await harness.WriteAsync(frame);
                await Task.Delay(2);
            }
        });
        await Eventually.True(() => harness.Publisher.FramesPublished > 20, Timeout, "frames flowing");

        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint });
        ReceivedFrame? first = await subscriber.TryReadAsync(Timeout);
        await stop.CancelAsync();
        await producer;

        Assert.NotNull(first);
        Assert.NotNull(first.Categories);
        Assert.Equal(SyntheticScene.Categories.Categories, first.Categories.Categories);
        Assert.Equal(0, subscriber.FramesWithoutCategories);
    }

    [Fact]
    public async Task MetaInterval_Elapsed_ResendsTablesWithoutNewSubscriptions()
    {
        var options = new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", MetaInterval = TimeSpan.FromMilliseconds(100) };
        await using var harness = new PublisherHarness(options, streams: [(0, "s0"), (1, "s1")]);
        using var sub = new SubscriberSocket();
        sub.Options.Linger = TimeSpan.Zero;
        sub.Connect(await harness.EndpointAsync());
        sub.Subscribe(WireFormat.MetaTopicPrefix);

        var topics = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (topics.Count < 6 && DateTime.UtcNow < deadline)
        {
            if (sub.TryReceiveFrameString(TimeSpan.FromMilliseconds(500), out string? topic))
            {
                topics.Add(topic);
                Assert.True(sub.TryReceiveFrameBytes(TimeSpan.FromSeconds(1), out byte[]? payload));
                Assert.Equal(topic["rseg/meta/".Length..], CategoryTableSerializer.Read(payload).Stream);
            }
        }

        // One answer to the subscription (2 streams) plus at least two periodic rounds.
        Assert.Equal(6, topics.Count);
        Assert.Equal(3, topics.Count(t => t == "rseg/meta/s1"));
        Assert.True(harness.Publisher.MetaMessagesSent >= 6);
    }
}
