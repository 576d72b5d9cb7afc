using System.Buffers;
using System.Text;
using RealtimeSeg.Client.Tests.Support;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Client.Tests;

/// <summary>
/// A subscriber facing a publisher it cannot trust: thousands of seeded truncated, bit-flipped, padded and
/// size-lying messages go through the receive path. None may throw, none may make it allocate beyond a bound set by
/// what it was sent, every one is either counted by reason or read as a frame, and good frames sent between them are
/// still read intact. Some go through a real ZeroMQ socket, including one over the message-size limit.
/// </summary>
public sealed class HostileMessageTests
{
    private const int Seed = 19_04;
    private const int HostileMessages = 4000;
    private const int CheckEvery = 100;

    [Fact]
    public void Fuzz_ThousandsOfHostileMessages_NoExceptionBoundedMemoryAllCountedGoodFramesStillRead()
    {
        var random = new Random(Seed);
        byte[][] good = [Serialize(SyntheticScene.Create(96, 54, things: 3, sequence: 1)), Serialize(SyntheticScene.Create(160, 90, things: 12, sequence: 2))];
        byte[] frameTopic = Encoding.ASCII.GetBytes(WireFormat.FrameTopic("s0"));
        // Made before measuring: only what the receiver allocates counts.
        var hostile = new byte[HostileMessages][];
        int sizeClaims = 0;
        long hostileBytes = 0;
        for (int i = 0; i < hostile.Length; i++)
        {
            byte[] source = good[random.Next(good.Length)];
            (hostile[i], bool claim) = Mutate(source, random);
            sizeClaims += claim ? 1 : 0;
            hostileBytes += hostile[i].Length;
        }
        var checks = new PanopticFrame[HostileMessages / CheckEvery];
        var checkPayloads = new byte[checks.Length][];
        for (int k = 0; k < checks.Length; k++)
        {
            checks[k] = SyntheticScene.Create(160, 90, things: k % 12, sequence: 1_000_000 + k);
            checkPayloads[k] = Serialize(checks[k]);
        }
        // No holding back for a table: a hostile frame claiming another table version is delivered (and drained) at once.
        var receiver = new InProcessReceiver(new SubscriberOptions { CategoryWaitTimeout = TimeSpan.Zero });
        receiver.SendMeta("s0", SyntheticScene.Categories);
        // Warm-up: the pool's frames grow to the good frames' size, which any subscriber does once.
        receiver.Receiver.OnMessage(frameTopic, checkPayloads[0]);
        Drain(receiver);
        long goodSent = 1;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < hostile.Length; i++)
        {
            receiver.Receiver.OnMessage(frameTopic, hostile[i]);
            if ((i + 1) % CheckEvery == 0)
            {
                // Whatever hostile frames happened to decode are taken first; then a good frame must come out whole.
                Drain(receiver);
                int k = i / CheckEvery;
                receiver.Receiver.OnMessage(frameTopic, checkPayloads[k]);
                goodSent++;
                using FrameLoan loan = receiver.Lend();
                Assert.Equal(checks[k].Sequence, loan.Frame.Sequence);
                FrameAssert.MapEqual(checks[k].Map, loan.Frame.Map);
                Assert.Equal(checks[k].SegmentCount, loan.Frame.SegmentCount);
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        FrameReceiver r = receiver.Receiver;
        // Every hostile message is accounted for: skipped and counted by reason, or read as a frame.
        Assert.Equal(HostileMessages, r.MessagesMalformed + r.MessagesRejected + (r.FramesReceived - goodSent));
        Assert.True(r.GetFaultCount(MessageFault.MapTooLarge) >= sizeClaims, $"{r.GetFaultCount(MessageFault.MapTooLarge)} rejected for size, {sizeClaims} claims sent");
        Assert.True(r.GetFaultCount(MessageFault.Truncated) > 0 && r.GetFaultCount(MessageFault.Malformed) > 0, "the mix has truncated and malformed messages");
        // Error messages cost a few hundred bytes each; a claimed map that were allocated would cost megabytes at once.
        long bound = (HostileMessages * 4096L) + (4 * hostileBytes);
        Assert.True(allocated < bound, $"{allocated:N0} bytes allocated for {HostileMessages} hostile messages of {hostileBytes:N0} bytes (bound {bound:N0})");
        Assert.Equal(1, receiver.Log.Lines.Count(l => l.Contains("MapTooLarge", StringComparison.Ordinal)));
    }

    [Fact]
    public void SmallMessageClaimingHugeMap_IsRejectedBeforeAnythingIsAllocated()
    {
        // A valid rle16 map of 8192x8192 in 4 KB: 1025 runs of up to 65535 pixels.
        byte[] claim = ClaimMap(Serialize(SyntheticScene.Create(32, 18, things: 1)), 8192, 8192);
        InProcessReceiver receiver = InProcessReceiver.WithTable();
        byte[] topic = Encoding.ASCII.GetBytes(WireFormat.FrameTopic("s0"));
        receiver.Receiver.OnMessage(topic, Serialize(SyntheticScene.Create(32, 18, things: 1)));
        Drain(receiver);

        long before = GC.GetAllocatedBytesForCurrentThread();
        receiver.Receiver.OnMessage(topic, claim);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(claim.Length < 8 * 1024, $"{claim.Length} bytes");
        Assert.Equal(1, receiver.Receiver.GetFaultCount(MessageFault.MapTooLarge));
        Assert.Equal(1, receiver.Receiver.MessagesRejected);
        Assert.True(allocated < 64 * 1024, $"{allocated:N0} bytes allocated for a rejected claim");
        Assert.False(receiver.Exchange.TryLend(out _));
    }

    [Fact]
    public void Limits_LoweredBelowTheStream_RejectSegmentsAndMapsByReason()
    {
        var receiver = new InProcessReceiver(new SubscriberOptions { Limits = new MessageLimits { MaxSegments = 4, MaxMapWidth = 100 } });
        receiver.SendMeta("s0", SyntheticScene.Categories);

        receiver.SendFrame(SyntheticScene.Create(96, 54, things: 10));
        receiver.SendFrame(SyntheticScene.Create(160, 90, things: 0));
        receiver.SendFrame(SyntheticScene.Create(96, 54, things: 1));

        Assert.Equal(1, receiver.Receiver.GetFaultCount(MessageFault.TooManySegments));
        Assert.Equal(1, receiver.Receiver.GetFaultCount(MessageFault.MapTooLarge));
        Assert.Equal(1, receiver.Receiver.FramesReceived);
    }

    [Fact]
    public async Task RealSocket_HostileAndOversizedMessages_AreCountedAndGoodFramesStillArrive()
    {
        var random = new Random(Seed);
        byte[] good = Serialize(SyntheticScene.Create(96, 54, things: 3));
        using var publisher = new RawPublisher();
        var limits = new MessageLimits { MaxMessageBytes = 64 * 1024 };
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = publisher.Endpoint, Stream = "s0", Limits = limits });
        publisher.AwaitSubscriptions(3);
        publisher.SendMeta("s0", SyntheticScene.Categories);

        int sent = 0;
        for (int i = 0; i < 300; i++)
        {
            (byte[] message, _) = Mutate(good, random);
            if (message.Length < limits.EffectiveMaxMessageBytes)
            {
                publisher.Send(WireFormat.FrameTopic("s0"), message);
                sent++;
            }
        }
        // Over the limit: ZeroMQ drops the connection that carried it, and the subscriber connects again by itself.
        publisher.Send(WireFormat.FrameTopic("s0"), new byte[256 * 1024]);
        await Eventually.True(() =>
        {
            publisher.SendFrame(SyntheticScene.Create(96, 54, things: 3, sequence: 5_000_000));
            return subscriber.TryReceive(out FrameLoan loan, TimeSpan.FromMilliseconds(50)) && Take(loan) == 5_000_000;
        }, TimeSpan.FromSeconds(60), "a good frame after the hostile ones");

        Assert.True(subscriber.MessagesMalformed + subscriber.MessagesRejected > sent / 2, $"{subscriber.MessagesMalformed} malformed, {subscriber.MessagesRejected} rejected of {sent}");
    }

    private static long Take(FrameLoan loan)
    {
        using (loan)
        {
            return loan.Frame.Sequence;
        }
    }

    /// <summary>One hostile variant of <paramref name="message"/>; Claim when it lies about its map size.</summary>
    private static (byte[] Message, bool Claim) Mutate(byte[] message, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                return (message.AsSpan(0, random.Next(message.Length)).ToArray(), false);
            case 1:
            {
                byte[] flipped = (byte[])message.Clone();
                for (int n = random.Next(1, 9); n > 0; n--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }
                return (flipped, false);
            }
            case 2:
            {
                // Oversized: the message followed by junk.
                byte[] padded = new byte[message.Length + random.Next(1, 16 * 1024)];
                message.CopyTo(padded, 0);
                random.NextBytes(padded.AsSpan(message.Length));
                return (padded, false);
            }
            case 3:
                return (ClaimMap(message, random.Next(6000, 8193), random.Next(6000, 8193)), true);
            default:
            {
                byte[] junk = new byte[random.Next(1, 512)];
                random.NextBytes(junk);
                return (junk, false);
            }
        }
    }

    /// <summary>The message re-encoded claiming a <paramref name="width"/>×<paramref name="height"/> map, with rle16 runs that really cover it.</summary>
    private static byte[] ClaimMap(byte[] message, int width, int height)
    {
        long pixels = (long)width * height;
        var runs = new List<byte>();
        for (long left = pixels; left > 0; left -= ushort.MaxValue)
        {
            ushort length = (ushort)Math.Min(left, ushort.MaxValue);
            runs.AddRange([1, 0, (byte)length, (byte)(length >> 8)]);
        }
        return MessageEditor.Edit(message, m =>
        {
            m["map_w"] = width;
            m["map_h"] = height;
            m["enc"] = "rle16";
            m["map"] = runs.ToArray();
        });
    }

    private static void Drain(InProcessReceiver receiver)
    {
        while (receiver.Exchange.TryLend(out FrameLoan loan))
        {
            loan.Dispose();
        }
    }

    private static byte[] Serialize(PanopticFrame frame)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, frame);
        return buffer.WrittenSpan.ToArray();
    }
}
