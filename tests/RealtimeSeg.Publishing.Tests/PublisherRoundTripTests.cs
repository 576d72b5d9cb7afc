using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests;

public sealed class PublisherRoundTripTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_FramesWithMasksAndSegments_SubscriberReceivesThemIntact()
    {
        await using var harness = new PublisherHarness();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = await harness.EndpointAsync() });
        await TableArrival.WaitAsync(subscriber, 1, Timeout, "the category table on subscribing");

        const int count = 40;
        for (int i = 0; i < count; i++)
        {
            PanopticFrame sent = SyntheticScene.Create(160, 90, things: i % 25, sequence: i);
            PanopticFrame expected = SyntheticScene.Create(160, 90, things: i % 25, sequence: i);
            await harness.WriteAsync(sent);

            ReceivedFrame? received = await subscriber.TryReadAsync(Timeout);

            Assert.NotNull(received);
            Assert.Equal("s0", received.Stream);
            Assert.NotNull(received.Categories);
            Assert.Equal(SyntheticScene.Categories.Categories, received.Categories.Categories);
            // The publisher stamps the Published stage; everything else must arrive as composed.
            long published = received.Frame.StageNs[(int)PipelineStage.Published];
            Assert.True(published >= expected.StageNs[(int)PipelineStage.Composed], "published stamp is set by the publisher");
            expected.StageNs[(int)PipelineStage.Published] = published;
            FrameAssert.Equal(expected, received.Frame);
            Assert.True(received.LatencyMs is > -1000 and < 1e12);
        }

        Assert.Equal(count, harness.Publisher.FramesPublished);
        Assert.Equal(0, harness.Publisher.FramesDropped);
        Assert.Equal(count, subscriber.FramesReceived);
        Assert.Equal(0, subscriber.FramesMissed);
        Assert.Equal(0, subscriber.FramesWithoutCategories);
        Assert.Equal(count, harness.Released);
        harness.Pool.AssertNoLeaks();
    }

    [AssetFact]
    public async Task RunAsync_CocoGroundTruthFrames_SubscriberReceivesMapsAnd133Categories()
    {
        CategoryTable coco = CocoPanopticSample.LoadCategories();
        var publisher = new ZeroMqPublisher(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" }, new CollectingLog());
        await using (publisher)
        {
            publisher.AddStream(0, "coco", coco);
            var encoder = new FrameEncoder();
            var channel = System.Threading.Channels.Channel.CreateUnbounded<ComposedFrame>();
            Task run = publisher.RunAsync(channel.Reader, CancellationToken.None);
            await publisher.Ready.WaitAsync(Timeout);
            await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, Stream = "coco" });
            await TableArrival.WaitAsync(subscriber, 1, Timeout, "the COCO category table");

            foreach (string imageId in CocoPanopticSample.ImageIds)
            {
                PanopticFrame frame = CocoPanopticSample.LoadFrame(imageId, coco, "coco");
                PanopticFrame expected = CocoPanopticSample.LoadFrame(imageId, coco, "coco");
                await channel.Writer.WriteAsync(encoder.Encode(frame));

                ReceivedFrame? received = await subscriber.TryReadAsync(Timeout);

                Assert.NotNull(received);
                expected.StageNs[(int)PipelineStage.Published] = received.Frame.StageNs[(int)PipelineStage.Published];
                FrameAssert.Equal(expected, received.Frame);
                Assert.Equal(133, received.Categories!.Categories.Count);
            }
            channel.Writer.Complete();
            await run.WaitAsync(Timeout);
            encoder.Pool.AssertNoLeaks();
        }
    }

    [Fact]
    public async Task RunAsync_ChannelCompleted_CompletesAfterPublishingAndReleasingEverything()
    {
        await using var harness = new PublisherHarness();
        for (int i = 0; i < 10; i++)
        {
            await harness.WriteAsync(SyntheticScene.Create(32, 18, things: 2, sequence: i));
        }
        harness.Frames.Writer.Complete();

        await harness.Run.WaitAsync(Timeout);

        Assert.Equal(10, harness.Publisher.FramesPublished);
        Assert.Equal(10, harness.Released);
        Assert.Equal(0, harness.Outstanding);
        Assert.Contains(harness.Log.Lines, l => l.Contains("10 frames published", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ChannelCompletedWithError_FaultsWithThatError()
    {
        await using var harness = new PublisherHarness();
        await harness.EndpointAsync();

        harness.Frames.Writer.Complete(new InvalidDataException("upstream stage failed"));

        InvalidDataException e = await Assert.ThrowsAsync<InvalidDataException>(() => harness.Run.WaitAsync(Timeout));
        Assert.Equal("upstream stage failed", e.Message);
    }

    [Fact]
    public async Task RunAsync_Cancelled_TaskIsCancelledAndNoFrameLeaks()
    {
        await using var harness = new PublisherHarness();
        for (int i = 0; i < 3; i++)
        {
            await harness.WriteAsync(SyntheticScene.Create(32, 18, things: 1, sequence: i));
        }

        harness.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Run.WaitAsync(Timeout));
        Assert.Equal(0, harness.Outstanding);
        harness.Pool.AssertNoLeaks();
    }

    [Fact]
    public async Task RunAsync_CancelledWhileChannelNeverEmpties_StopsAndReleasesTheRest()
    {
        const int queued = 100_000; // seconds of work, so "stopped early" does not depend on how loaded the machine is
        var encoder = new FrameEncoder(capacity: 1);
        // One composed frame, referenced once per queued copy: every reference must come back, sent or not.
        ComposedFrame frame = encoder.Encode(SyntheticScene.Create(640, 360, things: 20));
        var channel = System.Threading.Channels.Channel.CreateUnbounded<ComposedFrame>();
        for (int i = 0; i < queued; i++)
        {
            frame.AddRef();
            channel.Writer.TryWrite(frame);
        }
        frame.Release();
        using var cts = new CancellationTokenSource();
        await using var publisher = new ZeroMqPublisher(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" }, new CollectingLog());
        publisher.AddStream(0, "s0", SyntheticScene.Categories);

        Task run = publisher.RunAsync(channel.Reader, cts.Token);
        await Eventually.True(() => publisher.FramesPublished > 10, Timeout, "publishing to start");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        Assert.True(publisher.FramesPublished < queued / 2, $"published {publisher.FramesPublished} of {queued} after cancellation");
        Assert.Equal(0, frame.References);
        encoder.Pool.AssertNoLeaks();
    }

    [Fact]
    public async Task DisposeAsync_WhileIdle_StopsThePublisherThread()
    {
        var harness = new PublisherHarness();
        await harness.EndpointAsync();

        await harness.Publisher.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Run.WaitAsync(Timeout));
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_FrameOfUnregisteredStream_IsDroppedCountedReleasedAndLoggedOnce()
    {
        await using var harness = new PublisherHarness();
        for (int i = 0; i < 3; i++)
        {
            PanopticFrame frame = SyntheticScene.Create(16, 8, things: 1, sequence: i);
            frame.StreamIndex = 5;
            await harness.WriteAsync(frame);
        }
        harness.Frames.Writer.Complete();

        await harness.Run.WaitAsync(Timeout);

        Assert.Equal(3, harness.Publisher.FramesDropped);
        Assert.Equal(0, harness.Publisher.FramesPublished);
        Assert.Equal(3, harness.Released);
        Assert.Single(harness.Log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal) && l.Contains("stream index 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CalledTwice_Throws()
    {
        await using var harness = new PublisherHarness();

        // Thrown synchronously: a second socket thread must never start.
        Assert.Throws<InvalidOperationException>(() => { _ = harness.Publisher.RunAsync(harness.Frames.Reader, CancellationToken.None); });
    }

    [Fact]
    public async Task AddStream_AfterRunAsync_Throws()
    {
        await using var harness = new PublisherHarness();

        Assert.Throws<InvalidOperationException>(() => harness.Publisher.AddStream(1, "s1", SyntheticScene.Categories));
    }

    [Fact]
    public async Task AddStream_DuplicateIndexOrName_Throws()
    {
        await using var publisher = new ZeroMqPublisher(new PublisherOptions(), new CollectingLog());
        publisher.AddStream(0, "s0", SyntheticScene.Categories);

        Assert.Throws<ArgumentException>(() => publisher.AddStream(0, "other", SyntheticScene.Categories));
        Assert.Throws<ArgumentException>(() => publisher.AddStream(1, "s0", SyntheticScene.Categories));
        Assert.Throws<ArgumentException>(() => publisher.AddStream(2, "bad/name", SyntheticScene.Categories));
    }
}
