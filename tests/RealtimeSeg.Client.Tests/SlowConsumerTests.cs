using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Client.Tests;

public sealed class SlowConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadAllAsync_ConsumerThatReadsLate_GetsTheNewestFramesAndEveryOtherIsCounted()
    {
        const int count = 40;
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, BufferCapacity = 2 });
        publisher.AwaitSubscriptions(1);
        publisher.SendMeta("s0", SyntheticScene.Categories);

        for (int i = 0; i < count; i++)
        {
            publisher.SendFrame(SyntheticScene.Create(320, 180, things: 10, sequence: i));
            // One frame at a time, so ZeroMQ's queues never overflow: every loss here is the subscriber's own.
            await Eventually.True(() => subscriber.FramesReceived == i + 1, Timeout, $"frame {i}");
        }
        await Eventually.True(() => subscriber.FramesDropped == count - 2, Timeout, "the drops");

        // Never read until now: the buffer kept only the newest frames it received.
        var seqs = new List<long>();
        while (await subscriber.TryReadAsync(TimeSpan.FromMilliseconds(200)) is { } f)
        {
            seqs.Add(f.Frame.Sequence);
        }
        Assert.Equal([count - 2L, count - 1L], seqs);
        Assert.Equal(0, subscriber.FramesMissed);
        Assert.Equal(count, subscriber.FramesReceived);
    }
}
