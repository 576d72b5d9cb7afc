using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Client.Tests;

/// <summary>The lending API of <see cref="SegmentationSubscriber"/> over a real socket, against a hand-driven XPUB socket.</summary>
public sealed class SubscriberLendingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReceiveAsync_FrameArrivesWhileWaiting_LendsItWithItsTable()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });
        publisher.AwaitSubscriptions(1);
        publisher.SendMeta("s0", SyntheticScene.Categories);
        await TableArrival.WaitAsync(subscriber, 1, Timeout, "the table");
        Assert.Equal(1, subscriber.MetaMessagesReceived);
        PanopticFrame sent = SyntheticScene.Create(64, 36, things: 4, sequence: 3);

        ValueTask<FrameLoan?> receiving = subscriber.ReceiveAsync();
        publisher.SendFrame(sent);
        FrameLoan? received = await receiving.AsTask().WaitAsync(Timeout);

        Assert.NotNull(received);
        using (FrameLoan loan = received.Value)
        {
            FrameAssert.Equal(sent, loan.Frame);
            Assert.Equal(SyntheticScene.Categories.Categories, loan.Categories!.Categories);
            Assert.Equal(1, subscriber.FramesOnLoan);
        }
        Assert.Equal(0, subscriber.FramesOnLoan);
    }

    [Fact]
    public async Task TryReceive_BlockingWithTimeout_LendsTheFrameOnceItArrives()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = SubscribeWithoutTableWait(publisher);

        publisher.SendFrame(SyntheticScene.Create(32, 18, things: 2, sequence: 5));

        Assert.True(subscriber.TryReceive(out FrameLoan loan, Timeout));
        using (loan)
        {
            Assert.Equal(5, loan.Frame.Sequence);
        }
    }

    [Fact]
    public async Task TryReceive_NothingSent_ReturnsFalseWithoutALoan()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });

        Assert.False(subscriber.TryReceive(out FrameLoan immediate));
        Assert.False(subscriber.TryReceive(out FrameLoan waited, TimeSpan.FromMilliseconds(20)));

        Assert.False(immediate.IsValid);
        Assert.False(waited.IsValid);
        Assert.Equal(0, subscriber.FramesOnLoan);
    }

    [Fact]
    public async Task WaitToReceiveAsync_Cancelled_ThrowsAndTheNextWaitStillGetsAFrame()
    {
        using var publisher = new RawPublisher();
        await using var subscriber = SubscribeWithoutTableWait(publisher);
        using var cts = new CancellationTokenSource();

        ValueTask<bool> waiting = subscriber.WaitToReceiveAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 9));
        Assert.True(await subscriber.WaitToReceiveAsync().AsTask().WaitAsync(Timeout));
        Assert.True(subscriber.TryReceive(out FrameLoan loan));
        using (loan)
        {
            Assert.Equal(9, loan.Frame.Sequence);
        }
    }

    [Fact]
    public async Task ReceiveAsync_SubscriberDisposedWhileWaiting_ReturnsNull()
    {
        using var publisher = new RawPublisher();
        var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint });

        ValueTask<FrameLoan?> receiving = subscriber.ReceiveAsync();
        await subscriber.DisposeAsync();

        Assert.Null(await receiving.AsTask().WaitAsync(Timeout));
        await subscriber.Completion.WaitAsync(Timeout);
        Assert.False(await subscriber.WaitToReceiveAsync());
    }

    [Fact]
    public async Task Dispose_WithHeldFrames_TheyAreStillDeliveredAfterwards()
    {
        using var publisher = new RawPublisher();
        var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, CategoryWaitTimeout = TimeSpan.FromHours(1) });
        publisher.AwaitSubscriptions(1);
        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 4));
        await Eventually.True(() => subscriber.FramesReceived == 1, Timeout, "the frame, held for its table");
        Assert.False(subscriber.TryReceive(out _));

        await subscriber.DisposeAsync();

        Assert.True(subscriber.TryReceive(out FrameLoan loan));
        using (loan)
        {
            Assert.Equal(4, loan.Frame.Sequence);
            Assert.Null(loan.Categories);
        }
    }

    [Fact]
    public async Task Loan_OutstandingWhenTheSubscriberIsDisposed_StaysValidUntilReturned()
    {
        using var publisher = new RawPublisher();
        var subscriber = SubscribeWithoutTableWait(publisher);
        PanopticFrame sent = SyntheticScene.Create(32, 18, things: 3, sequence: 2);
        publisher.SendFrame(sent);
        Assert.True(subscriber.TryReceive(out FrameLoan loan, Timeout));

        await subscriber.DisposeAsync();

        FrameAssert.Equal(sent, loan.Frame);
        loan.Dispose();
        Assert.Equal(0, subscriber.FramesOnLoan);
    }

    [Fact]
    public async Task Dispose_DiagnosticsWithALoanNeverReturned_ThrowsFrameLoanLeakException()
    {
        using var publisher = new RawPublisher();
        var subscriber = SubscribeWithoutTableWait(publisher, diagnostics: true);
        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1));
        Assert.True(subscriber.TryReceive(out FrameLoan leaked, Timeout));

        FrameLoanLeakException e = Assert.Throws<FrameLoanLeakException>(subscriber.Dispose);

        Assert.Contains(nameof(Dispose_DiagnosticsWithALoanNeverReturned_ThrowsFrameLoanLeakException), e.Message, StringComparison.Ordinal);
        leaked.Dispose();
        subscriber.AssertNoLeaks();
        await subscriber.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task TryReceive_ConsumerHoldsEveryFrame_SubscriberKeepsReceivingAndCountsDrops()
    {
        // Over the socket: the receive thread must neither block nor allocate when the consumer holds the pool.
        using var publisher = new RawPublisher();
        await using var subscriber = SubscribeWithoutTableWait(publisher, bufferCapacity: 1, loanCapacity: 1);
        var loans = new List<FrameLoan>();
        for (int seq = 0; seq < subscriber.FramePoolSize - 1; seq++)
        {
            publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: seq));
            Assert.True(subscriber.TryReceive(out FrameLoan loan, Timeout));
            loans.Add(loan);
        }

        for (int seq = 10; seq < 15; seq++)
        {
            publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: seq));
        }
        // Each drop is counted after its frame's receipt: once all five are, every frame has been handled.
        await Eventually.True(() => subscriber.FramesDropped == 5, Timeout, "five frames dropped");

        Assert.Equal(7, subscriber.FramesReceived);
        Assert.False(subscriber.TryReceive(out _));
        Assert.Equal([0L, 1L], loans.Select(l => l.Frame.Sequence));
        loans.ForEach(l => l.Dispose());
        publisher.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 15));
        Assert.True(subscriber.TryReceive(out FrameLoan after, Timeout));
        using (after)
        {
            Assert.Equal(15, after.Frame.Sequence);
        }
    }

    /// <summary>A subscriber that delivers frames at once (no category table wait), connected and subscribed.</summary>
    private static SegmentationSubscriber SubscribeWithoutTableWait(RawPublisher publisher, int bufferCapacity = 16, int loanCapacity = 2, bool diagnostics = false)
    {
        var subscriber = new SegmentationSubscriber(new SubscriberOptions
        {
            Endpoint = publisher.Endpoint,
            CategoryWaitTimeout = TimeSpan.Zero,
            BufferCapacity = bufferCapacity,
            LoanCapacity = loanCapacity,
            Diagnostics = diagnostics,
        });
        publisher.AwaitSubscriptions(1);
        return subscriber;
    }
}
