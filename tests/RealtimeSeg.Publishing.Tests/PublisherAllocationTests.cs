using System.Threading.Channels;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests;

[Collection(IsolatedCollection.Name)]
public sealed class PublisherAllocationTests
{
    /// <summary>
    /// What NetMQ itself allocates on the sending thread per frame sent to a subscriber that keeps up: one 24-byte
    /// reference counter for the pooled payload part (NetMQ's counter pool cannot safely be replaced: shared
    /// messages return the same counter once per copy), plus now and then a chunk of its internal queues
    /// (measured 24–38 B per frame on average). Everything of ours — serialization, the topic part, subscription
    /// polling, waits on the channel — allocates nothing, so the bound is exceeded as soon as any of it allocates
    /// one object per frame (the smallest managed object is 24 B).
    /// </summary>
    private const double NetMqBytesPerFrame = 48;

    [Fact]
    public async Task Publish_SteadyStateWithSubscriber_AllocatesOnlyWhatNetMqNeedsPerFrame()
    {
        const int warmup = 200, window = 100, windows = 6;
        PanopticFrame template = SyntheticScene.Create(640, 360, things: 20);
        // A fixed pool whose release path does not allocate, so only the publisher thread's own work is measured.
        var free = new Stack<PanopticFrame>(16);
        for (int i = 0; i < 16; i++)
        {
            free.Push(new PanopticFrame(640 * 360));
        }
        var channel = Channel.CreateBounded<PanopticFrame>(new BoundedChannelOptions(8) { SingleReader = true });
        await using var publisher = new ZeroMqPublisher(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" }, new CollectingLog());
        publisher.AddStream(0, "s0", SyntheticScene.Categories);
        Task run = publisher.RunAsync(channel.Reader, f => { lock (free) { free.Push(f); } }, CancellationToken.None);
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });
        await Eventually.True(() => subscriber.MetaMessagesReceived > 0, TimeSpan.FromSeconds(10), "the subscription");
        var perFrame = new List<double>();
        long windowStart = 0;

        for (int i = 0; i < warmup + window * windows; i++)
        {
            if (i >= warmup && (i - warmup) % window == 0)
            {
                await Eventually.True(() => publisher.FramesPublished == i, TimeSpan.FromSeconds(10), "frames so far");
                long now = publisher.ThreadAllocatedBytes;
                if (i > warmup)
                {
                    perFrame.Add((now - windowStart) / (double)window);
                }
                windowStart = now;
            }
            PanopticFrame? frame = null;
            while (frame is null)
            {
                lock (free)
                {
                    free.TryPop(out frame);
                }
                if (frame is null)
                {
                    await Task.Delay(1);
                }
            }
            frame.CopyFrom(template);
            frame.Sequence = i;
            await channel.Writer.WriteAsync(frame);
            // Paced like a camera: the subscriber keeps up (no ZeroMQ drops, whose bookkeeping allocates inside
            // NetMQ) and the publisher thread goes through its idle wait between frames.
            long target = i + 1;
            for (int wait = 0; wait < 200 && subscriber.FramesReceived + subscriber.FramesMissed < target; wait++)
            {
                await Task.Delay(1);
            }
        }
        channel.Writer.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        // NetMQ's queue chunks come and go with scheduling; an allocation of ours would be in every window.
        double best = perFrame.Min();
        Assert.True(subscriber.FramesReceived > 0);
        Assert.True(best < NetMqBytesPerFrame, $"publisher thread allocated {best:F1} B per frame at best (windows: {string.Join(", ", perFrame.Select(v => v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))})");
    }
}
