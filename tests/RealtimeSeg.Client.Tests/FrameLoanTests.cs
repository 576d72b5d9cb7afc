using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Client.Tests;

/// <summary>The ownership contract of a lent frame (modelled on FrameLease and OrtValue).</summary>
public sealed class FrameLoanTests
{
    [Fact]
    public void Members_WhileLent_DescribeTheReceivedFrame()
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable();
        PanopticFrame sent = SyntheticScene.Create(64, 36, things: 5, sequence: 7);
        receiver.SendFrame(sent);

        using FrameLoan loan = receiver.Lend();

        Assert.True(loan.IsValid);
        Assert.Equal("s0", loan.Stream);
        FrameAssert.Equal(sent, loan.Frame);
        Assert.Equal(SyntheticScene.Categories.Categories, loan.Categories!.Categories);
        Assert.True(loan.ReceiveUtcNs > 0);
        Assert.Equal(MonotonicClock.ToMilliseconds(loan.ReceiveUtcNs - sent.CaptureUtcNs), loan.LatencyMs);
    }

    [Fact]
    public void Dispose_Twice_ThrowsInvalidOperation()
    {
        InProcessReceiver receiver = LendOne(out FrameLoan loan);
        FrameLoan copy = loan;

        loan.Dispose();

        Assert.Throws<InvalidOperationException>(() => loan.Dispose());
        Assert.Throws<InvalidOperationException>(() => copy.Dispose());
        Assert.Equal(0, receiver.Exchange.OnLoan);
    }

    [Fact]
    public void Members_AfterDispose_ThrowObjectDisposedOnEveryCopy()
    {
        LendOne(out FrameLoan loan);
        FrameLoan copy = loan;

        loan.Dispose();

        Assert.False(loan.IsValid);
        Assert.False(copy.IsValid);
        Assert.Throws<ObjectDisposedException>(() => copy.Frame);
        Assert.Throws<ObjectDisposedException>(() => copy.Stream);
        Assert.Throws<ObjectDisposedException>(() => copy.Categories);
        Assert.Throws<ObjectDisposedException>(() => copy.ReceiveUtcNs);
        Assert.Throws<ObjectDisposedException>(() => copy.LatencyMs);
        Assert.Throws<ObjectDisposedException>(() => copy.ToReceivedFrame());
    }

    [Fact]
    public void Loan_AfterItsFrameIsLentAgain_StaysInvalid()
    {
        // Capacity 1 + 1 loan + 1 receive frame: the returned frame is soon refilled and lent again.
        InProcessReceiver receiver = InProcessReceiver.WithTable(bufferCapacity: 1, loanCapacity: 1);
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0));
        FrameLoan first = receiver.Lend();
        PanopticFrame firstFrame = first.Frame;
        first.Dispose();

        var later = new List<FrameLoan>();
        for (long seq = 1; seq <= 3 && !later.Exists(l => ReferenceEquals(l.Frame, firstFrame)); seq++)
        {
            receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: seq));
            later.Add(receiver.Lend());
        }

        Assert.Contains(later, l => ReferenceEquals(l.Frame, firstFrame));
        Assert.False(first.IsValid);
        Assert.Throws<ObjectDisposedException>(() => first.Frame);
        Assert.Throws<InvalidOperationException>(() => first.Dispose());
        later.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Default_IsInvalidAndDisposingItDoesNothing()
    {
        FrameLoan loan = default;

        Assert.False(loan.IsValid);
        Assert.Throws<ObjectDisposedException>(() => loan.Frame);
        loan.Dispose();
        loan.Dispose();
    }

    [Fact]
    public void ToReceivedFrame_FrameReusedAfterReturn_CopyKeepsItsContent()
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable(bufferCapacity: 1, loanCapacity: 1);
        PanopticFrame sent = SyntheticScene.Create(64, 36, things: 6, sequence: 1);
        receiver.SendFrame(sent);
        ReceivedFrame copy;
        using (FrameLoan loan = receiver.Lend())
        {
            copy = loan.ToReceivedFrame();
            Assert.NotSame(loan.Frame, copy.Frame);
        }

        for (long seq = 2; seq < 6; seq++)
        {
            receiver.SendFrame(SyntheticScene.Create(32, 18, things: 2, sequence: seq));
            receiver.Lend().Dispose();
        }

        FrameAssert.Equal(sent, copy.Frame);
        Assert.Equal("s0", copy.Stream);
        Assert.Equal(SyntheticScene.Categories.Categories, copy.Categories!.Categories);
    }

    private static InProcessReceiver LendOne(out FrameLoan loan)
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable();
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1));
        loan = receiver.Lend();
        return receiver;
    }
}
