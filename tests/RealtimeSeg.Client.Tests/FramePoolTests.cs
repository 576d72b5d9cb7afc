using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Client.Tests;

/// <summary>
/// The subscriber's fixed frame pool, driven on the test thread through its receive side (no socket), so every
/// count is exact.
/// </summary>
public sealed class FramePoolTests
{
    [Fact]
    public void Receive_ManyFramesLentAndReturned_ReusesOnlyThePoolsFrames()
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable(bufferCapacity: 4, loanCapacity: 2);
        var seen = new HashSet<PanopticFrame>(ReferenceEqualityComparer.Instance);

        for (long seq = 0; seq < 200; seq++)
        {
            receiver.SendFrame(SyntheticScene.Create(32, 18, things: (int)(seq % 7), sequence: seq));
            using FrameLoan loan = receiver.Lend();
            Assert.Equal(seq, loan.Frame.Sequence);
            seen.Add(loan.Frame);
        }

        Assert.InRange(seen.Count, 2, receiver.Exchange.FrameCount);
        Assert.Equal(4 + 2 + 1, receiver.Exchange.FrameCount);
        Assert.Equal(0, receiver.Receiver.FramesDropped);
    }

    [Fact]
    public void Receive_ConsumerReadsNothing_KeepsTheNewestBufferCapacityFramesAndCountsTheRest()
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable(bufferCapacity: 3, loanCapacity: 1);

        for (long seq = 0; seq < 10; seq++)
        {
            receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: seq));
        }

        Assert.Equal(10, receiver.Receiver.FramesReceived);
        Assert.Equal(7, receiver.Receiver.FramesDropped);
        Assert.Equal([7L, 8, 9], LendAll(receiver));
    }

    [Fact]
    public void Receive_ConsumerHoldsEveryFrameItCan_DropsTheOldestWaitingFrameInsteadOfAllocating()
    {
        // Pool: 2 waiting + 1 on loan + 1 to receive into = 4 frames. The consumer keeps two loans (one more than
        // its share), leaving one waiting slot: every frame after that pushes out the oldest waiting one.
        InProcessReceiver receiver = InProcessReceiver.WithTable(bufferCapacity: 2, loanCapacity: 1);
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0));
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 1));
        FrameLoan held0 = receiver.Lend();
        FrameLoan held1 = receiver.Lend();

        for (long seq = 2; seq < 6; seq++)
        {
            receiver.SendFrame(SyntheticScene.Create(16, 8, things: 2, sequence: seq));
        }

        // Frames 2, 3 and 4 were each the oldest waiting when the next one needed a frame to be received into.
        Assert.Equal(3, receiver.Receiver.FramesDropped);
        Assert.Equal([5L], LendAll(receiver));
        // The held loans were never touched.
        FrameAssert.Equal(SyntheticScene.Create(16, 8, things: 1, sequence: 0), held0.Frame);
        FrameAssert.Equal(SyntheticScene.Create(16, 8, things: 1, sequence: 1), held1.Frame);
        held0.Dispose();
        held1.Dispose();
    }

    [Fact]
    public void Receive_ConsumerHoldsAllButTheReceiveFrame_DropsEachFrameUntilALoanComesBack()
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable(bufferCapacity: 1, loanCapacity: 1);
        var loans = new List<FrameLoan>();
        for (long seq = 0; seq < 2; seq++)
        {
            receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: seq));
            loans.Add(receiver.Lend());
        }

        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 2));
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 3));

        Assert.Equal(2, receiver.Receiver.FramesDropped);
        Assert.False(receiver.Exchange.TryLend(out _));
        Assert.Equal([0L, 1L], loans.Select(l => l.Frame.Sequence));

        loans[0].Dispose();
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 4));

        Assert.Equal([4L], LendAll(receiver));
        Assert.Equal(2, receiver.Receiver.FramesDropped);
        loans[1].Dispose();
        receiver.Exchange.AssertNoLeaks();
    }

    [Fact]
    public void Receive_PoolExhaustedWhileFramesAreHeldForTheirTable_DropsTheOldestHeldFrame()
    {
        // No table for s0: frames are held back, and held frames are waiting frames too.
        var receiver = new InProcessReceiver(new SubscriberOptions { BufferCapacity = 2, LoanCapacity = 1, CategoryWaitTimeout = TimeSpan.FromHours(1) });
        receiver.SendMeta("s1", SyntheticScene.Categories);
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 0, stream: "s1"));
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 1, stream: "s1"));
        FrameLoan held0 = receiver.Lend();
        FrameLoan held1 = receiver.Lend();

        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 10));
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 11));
        receiver.SendMeta("s0", SyntheticScene.Categories);

        Assert.Equal(1, receiver.Receiver.FramesDropped);
        Assert.Equal([11L], LendAll(receiver));
        Assert.Equal(0, receiver.Receiver.FramesWithoutCategories);
        held0.Dispose();
        held1.Dispose();
    }

    [Fact]
    public void AssertNoLeaks_DiagnosticsAndALoanNeverReturned_ThrowsNamingWhereItWasLent()
    {
        InProcessReceiver receiver = InProcessReceiver.WithTable(diagnostics: true);
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1));
        receiver.SendFrame(SyntheticScene.Create(16, 8, things: 1, sequence: 1));
        receiver.Lend().Dispose();
        FrameLoan leaked = LendForgetfully(receiver);

        FrameLoanLeakException e = Assert.Throws<FrameLoanLeakException>(receiver.Exchange.AssertNoLeaks);

        Assert.Contains("1 of 19 subscriber frames", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LendForgetfully), e.Message, StringComparison.Ordinal);
        leaked.Dispose();
        receiver.Exchange.AssertNoLeaks();
    }

    [Fact]
    public void Receive_SteadyState_DecodeLendAndReturnAllocateNothingOnTheCallingThread()
    {
        // The receive thread's and the consumer's whole per-frame path, on one thread: deterministic, so exactly 0 B.
        InProcessReceiver receiver = InProcessReceiver.WithTable();
        var payload = new ArrayBufferWriter<byte>();
        PanopticFrame scene = SyntheticScene.Create(640, 360, things: 20, sequence: 1);
        new PanopticFrameSerializer().Write(payload, scene);
        byte[] topic = Encoding.ASCII.GetBytes(WireFormat.FrameTopic("s0"));
        ReadOnlyMemory<byte> message = payload.WrittenMemory;
        long segments = 0;
        void Frames()
        {
            for (int i = 0; i < 100; i++)
            {
                receiver.Receiver.OnMessage(topic, message);
                receiver.Receiver.DeliverExpiredHeldFrames();
                if (receiver.Exchange.TryLend(out FrameLoan loan))
                {
                    using (loan)
                    {
                        // Summed, not asserted here: xunit's Assert.Equal allocates a comparer per call.
                        segments += loan.Frame.SegmentCount;
                    }
                }
            }
        }
        Frames();

        long allocated = AllocationProbe.MinAllocatedBytes(Frames);

        Assert.Equal(0, allocated);
        Assert.Equal(6 * 100 * scene.SegmentCount, segments);
        Assert.Equal(0, receiver.Receiver.FramesDropped);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FrameLoan LendForgetfully(InProcessReceiver receiver) => receiver.Lend();

    private static List<long> LendAll(InProcessReceiver receiver)
    {
        var sequences = new List<long>();
        while (receiver.Exchange.TryLend(out FrameLoan loan))
        {
            using (loan)
            {
                sequences.Add(loan.Frame.Sequence);
            }
        }
        return sequences;
    }
}
