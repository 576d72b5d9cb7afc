using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Client.Tests;

/// <summary>Client behaviour against a hand-driven XPUB socket.</summary>
public sealed class SegmentationSubscriberTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadAllAsync_FrameBeforeItsTable_IsHeldAndDeliveredWithTheTable()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });
        publisher.AwaitSubscriptions(1);

        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0));
        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 1));
        await Eventually.True(() => subscriber.FramesReceived == 2, Timeout, "both frames decoded");
        Assert.Null(await subscriber.TryReadAsync(TimeSpan.FromMilliseconds(200)));
        publisher.SendMeta("s0", SyntheticScene.Categories);

        ReceivedFrame? first = await subscriber.TryReadAsync(Timeout);
        ReceivedFrame? second = await subscriber.TryReadAsync(Timeout);

        Assert.Equal([0L, 1L], new[] { first!.Frame.Sequence, second!.Frame.Sequence });
        Assert.NotNull(first.Categories);
        Assert.NotNull(second.Categories);
        Assert.Equal(0, subscriber.FramesWithoutCategories);
    }

    [Fact]
    public async Task ReadAllAsync_TableNeverArrives_DeliversWithNullTableAfterTimeoutAndCounts()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions
        {
            Endpoint = publisher.Endpoint,
            CategoryWaitTimeout = TimeSpan.FromMilliseconds(300),
        });
        publisher.AwaitSubscriptions(1);

        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0));

        ReceivedFrame? frame = await subscriber.TryReadAsync(Timeout);
        Assert.NotNull(frame);
        Assert.Null(frame.Categories);
        Assert.Equal(1, subscriber.FramesWithoutCategories);
    }

    [Fact]
    public async Task ReadAllAsync_NoWaitConfigured_DeliversImmediatelyWithNullTable()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, CategoryWaitTimeout = TimeSpan.Zero });
        publisher.AwaitSubscriptions(1);

        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0));

        ReceivedFrame? frame = await subscriber.TryReadAsync(Timeout);
        Assert.Null(frame!.Categories);
        Assert.Equal(1, subscriber.FramesWithoutCategories);
    }

    [Fact]
    public async Task ReadAllAsync_TableOfAnotherVersion_IsNotAttached()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, CategoryWaitTimeout = TimeSpan.Zero });
        publisher.AwaitSubscriptions(1);
        publisher.SendMeta("s0", CategoryTable.Unnamed(3));
        await TableArrival.WaitAsync(subscriber, 1, Timeout, "the table");
        Assert.Equal(1, subscriber.MetaMessagesReceived);

        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0));

        ReceivedFrame? frame = await subscriber.TryReadAsync(Timeout);
        Assert.Null(frame!.Categories);
    }

    [Fact]
    public async Task FramesMissed_SequenceGaps_AreSummedPerStream()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, BufferCapacity = 32 });
        publisher.AwaitSubscriptions(1);
        publisher.SendMeta("s0", SyntheticScene.Categories);
        publisher.SendMeta("s1", SyntheticScene.Categories);

        foreach ((string stream, long seq) in new[] { ("s0", 0L), ("s0", 1L), ("s1", 10L), ("s0", 5L), ("s1", 11L), ("s1", 20L) })
        {
            publisher.SendFrame(SyntheticScene.Create(8, 4, things: 0, sequence: seq, stream: stream));
        }

        await Eventually.True(() => subscriber.FramesReceived == 6, Timeout, "all frames");
        Assert.Equal(3 + 8, subscriber.FramesMissed);
    }

    [Fact]
    public async Task Receive_MalformedAndForeignMessages_AreSkippedCountedAndLoggedOnce()
    {
        using var publisher = new RawPublisher();
        var log = new CollectingLog();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint }, log);
        publisher.AwaitSubscriptions(1);
        publisher.SendMeta("s0", SyntheticScene.Categories);

        publisher.Send("rseg/frame/s0", [0x81, 0xA1, 0x76]);
        publisher.Send("rseg/frame/s0", [0xC1]);
        publisher.Send("rseg/other/s0", [1, 2, 3]);
        publisher.SendSinglePart("rseg/frame/s0");
        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 2, sequence: 3));

        ReceivedFrame? frame = await subscriber.TryReadAsync(Timeout);
        Assert.Equal(3, frame!.Frame.Sequence);
        Assert.Equal(2, subscriber.MessagesMalformed);
        // Logged once per kind: one truncated message, one with an invalid MessagePack code.
        Assert.Equal(2, log.Lines.Count(l => l.StartsWith("warn:", StringComparison.Ordinal) && l.Contains("malformed", StringComparison.Ordinal)));
        Assert.Equal(1, subscriber.GetFaultCount(RealtimeSeg.Protocol.MessageFault.Truncated));
    }

    [Fact]
    public async Task ReadAllAsync_SubscriberDisposed_EnumerationEnds()
    {
        using var publisher = new RawPublisher();
        var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });
        publisher.AwaitSubscriptions(1);
        publisher.SendMeta("s0", SyntheticScene.Categories);
        publisher.SendFrame(SyntheticScene.Create(8, 4, things: 0, sequence: 0));
        await Eventually.True(() => subscriber.FramesReceived == 1, Timeout, "the frame");
        var seen = new List<long>();
        var firstSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task reading = Task.Run(async () =>
        {
            await foreach (ReceivedFrame f in subscriber.ReadAllAsync())
            {
                seen.Add(f.Frame.Sequence);
                firstSeen.TrySetResult();
            }
        });
        // Disposed while the enumeration waits for a second frame that never comes.
        await firstSeen.Task.WaitAsync(Timeout);
        await subscriber.DisposeAsync();

        await reading.WaitAsync(Timeout);
        Assert.Equal([0L], seen);
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_Throws()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ReceivedFrame _ in subscriber.ReadAllAsync(cts.Token))
            {
            }
        });
    }

    [Theory]
    [InlineData("", null, 16, 16)]
    [InlineData("tcp://127.0.0.1:5556", "a/b", 16, 16)]
    [InlineData("tcp://127.0.0.1:5556", null, 0, 16)]
    [InlineData("tcp://127.0.0.1:5556", null, 16, 0)]
    public void Constructor_InvalidOptions_ThrowsConfigurationException(string endpoint, string? stream, int hwm, int buffer)
    {
        var options = new SubscriberOptions { Endpoint = endpoint, Stream = stream, ReceiveHighWaterMark = hwm, BufferCapacity = buffer };

        Assert.Throws<ConfigurationException>(() => new SegmentationSubscriber(options));
    }
}
