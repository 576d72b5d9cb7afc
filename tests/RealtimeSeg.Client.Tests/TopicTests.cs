using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Client.Tests;

public sealed class TopicTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Subscribe_OneStream_NeverSeesOtherStreamsEvenWithLongerNames()
    {
        // "s10" starts with "s1": ZeroMQ's prefix filter lets it through, the subscriber must not.
        await using var harness = new PublisherHarness(streams: [(0, "s0"), (1, "s1"), (2, "s10")]);
        string endpoint = await harness.EndpointAsync();
        await using var onlyS1 = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint, Stream = "s1" });
        await using var all = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint, BufferCapacity = 64 });
        await TableArrival.WaitAsync(onlyS1, 1, Timeout, "the s1 subscriber's table");
        await TableArrival.WaitAsync(all, 3, Timeout, "the all-streams subscriber's three tables");

        int sent = 0;
        for (int i = 0; i < 5; i++)
        {
            for (int stream = 0; stream < 3; stream++)
            {
                PanopticFrame frame = SyntheticScene.Create(32, 18, things: 2, sequence: i);
                frame.StreamIndex = stream;
                await harness.WriteAsync(frame);
                sent++;
                // Paced, so no queue overflows: this test is about routing, not loss.
                await Eventually.True(() => all.FramesReceived == sent, Timeout, $"frame {sent} at the all-streams subscriber");
            }
        }
        // A last s1 frame, sent after every s10 frame: once the s1 subscriber has it, everything published before it
        // has passed its receive thread (one connection delivers in order), so an s10 frame let through would be
        // waiting too — no sleep needed to give it time to show up.
        PanopticFrame barrier = SyntheticScene.Create(32, 18, things: 2, sequence: 5);
        barrier.StreamIndex = 1;
        await harness.WriteAsync(barrier);
        await Eventually.True(() => onlyS1.FramesReceived >= 6, Timeout, "the last s1 frame at the s1 subscriber");
        harness.Frames.Writer.Complete();
        await harness.Run.WaitAsync(Timeout);

        var s1Frames = new List<ReceivedFrame>();
        while (await onlyS1.TryReadAsync(TimeSpan.FromMilliseconds(200)) is { } f)
        {
            s1Frames.Add(f);
        }
        var allStreams = new List<string>();
        while (await all.TryReadAsync(TimeSpan.FromMilliseconds(200)) is { } f)
        {
            allStreams.Add(f.Stream);
        }

        Assert.Equal(6, s1Frames.Count);
        Assert.All(s1Frames, f => Assert.Equal("s1", f.Stream));
        Assert.Equal([0L, 1, 2, 3, 4, 5], s1Frames.Select(f => f.Frame.Sequence));
        Assert.Equal(["s1"], new[] { onlyS1.GetCategories("s1")!.Stream });
        Assert.Null(onlyS1.GetCategories("s10"));
        Assert.Equal(5, allStreams.Count(s => s == "s0"));
        Assert.Equal(5, allStreams.Count(s => s == "s10"));
    }
}
