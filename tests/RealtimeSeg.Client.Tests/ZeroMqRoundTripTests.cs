using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Client.Tests;

/// <summary>Frames through a real <c>ZeroMqPublisher</c> bound to a free 127.0.0.1 port, received with the lending API.</summary>
public sealed class ZeroMqRoundTripTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TryReceive_RealPublisherFrames_ArriveIntactInPooledFrames()
    {
        await using var harness = new PublisherHarness();
        // The publisher binds tcp://127.0.0.1:* and reports the port it got once ready.
        string endpoint = await harness.EndpointAsync();
        Assert.DoesNotContain("*", endpoint, StringComparison.Ordinal);
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint, Diagnostics = true });
        await TableArrival.WaitAsync(subscriber, 1, Timeout, "the category table on subscribing");
        var frames = new HashSet<PanopticFrame>(ReferenceEqualityComparer.Instance);

        const int count = 40;
        for (int i = 0; i < count; i++)
        {
            // Sizes and segment counts change from frame to frame, so pooled frames are refilled with other shapes.
            (int w, int h) = i % 3 == 0 ? (640, 360) : (160, 90);
            await harness.WriteAsync(SyntheticScene.Create(w, h, things: i % 21, sequence: i));
            PanopticFrame expected = SyntheticScene.Create(w, h, things: i % 21, sequence: i);

            Assert.True(subscriber.TryReceive(out FrameLoan loan, Timeout), $"frame {i} arrived");
            using (loan)
            {
                Assert.Equal("s0", loan.Stream);
                Assert.Equal(SyntheticScene.Categories.Categories, loan.Categories!.Categories);
                // The publisher stamps the Published stage; everything else must arrive as composed.
                expected.StageNs[(int)PipelineStage.Published] = loan.Frame.StageNs[(int)PipelineStage.Published];
                FrameAssert.Equal(expected, loan.Frame);
                frames.Add(loan.Frame);
            }
        }

        Assert.Equal(count, subscriber.FramesReceived);
        Assert.Equal(0, subscriber.FramesMissed + subscriber.FramesDropped + subscriber.FramesWithoutCategories);
        Assert.InRange(frames.Count, 1, subscriber.FramePoolSize);
        subscriber.AssertNoLeaks();
    }

    [Fact]
    public async Task ReceiveAsync_RealPublisherFrames_ArriveInOrderWithoutLoss()
    {
        await using var harness = new PublisherHarness();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = await harness.EndpointAsync() });
        await TableArrival.WaitAsync(subscriber, 1, Timeout, "the category table on subscribing");
        var sequences = new List<long>();

        for (int i = 0; i < 20; i++)
        {
            ValueTask<FrameLoan?> receiving = subscriber.ReceiveAsync();
            await harness.WriteAsync(SyntheticScene.Create(320, 180, things: 10, sequence: i));
            FrameLoan? loan = await receiving.AsTask().WaitAsync(Timeout);
            using (loan)
            {
                sequences.Add(loan!.Value.Frame.Sequence);
            }
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), sequences);
        Assert.Equal(0, subscriber.FramesOnLoan);
    }
}
