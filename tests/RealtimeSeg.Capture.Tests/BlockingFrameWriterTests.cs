using System.Threading.Channels;
using RealtimeSeg.Frames;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests;

public sealed class BlockingFrameWriterTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FramePool _pool = new(8, 256, diagnostics: true);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Write_DropOldestFull_NeverBlocks()
    {
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());
        var writer = new BlockingFrameWriter(handOff.Writer, CancellationToken.None);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(writer.Write(Rent(i)));
        }

        Assert.Equal(2, handOff.Dropped);
        Assert.Equal(1, handOff.DrainAndRelease());
    }

    [Fact]
    public async Task Write_WaitModeFull_BlocksUntilTheReaderMakesRoom()
    {
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        var writer = new BlockingFrameWriter(handOff.Writer, CancellationToken.None);
        Assert.True(writer.Write(Rent(0)));
        FrameLease second = Rent(1);

        Task<bool> blocked = Task.Factory.StartNew(() => writer.Write(second), TaskCreationOptions.LongRunning);
        // Not a wait for anything: a window in which a writer that failed to block would have finished (load can
        // only make the window emptier, never fail a writer that blocks).
        await Task.Delay(100);
        Assert.False(blocked.IsCompleted);
        Assert.True(handOff.Reader.TryRead(out FrameLease first));
        first.Dispose();

        Assert.True(await blocked.WaitAsync(Timeout));
        Assert.True(handOff.Reader.TryRead(out FrameLease next));
        Assert.Equal(1, next.Metadata.Sequence);
        next.Dispose();
    }

    [Fact]
    public async Task Write_WaitModeFullThenCancelled_ReturnsFalseAndTheCallerKeepsTheLease()
    {
        using var cts = new CancellationTokenSource();
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        var writer = new BlockingFrameWriter(handOff.Writer, cts.Token);
        Assert.True(writer.Write(Rent(0)));
        FrameLease second = Rent(1);

        Task<bool> blocked = Task.Factory.StartNew(() => writer.Write(second), TaskCreationOptions.LongRunning);
        // A window in which a writer that failed to block would have finished, as above.
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        cts.Cancel();

        Assert.False(await blocked.WaitAsync(Timeout));
        Assert.False(writer.ChannelClosed);
        Assert.True(second.IsValid);
        second.Dispose();
        // The abandoned wait completes harmlessly when the writer is completed.
        handOff.Writer.Complete();
        Assert.Equal(1, handOff.DrainAndRelease());
    }

    [Fact]
    public void Write_ChannelCompletedByOthers_ReturnsFalseAndReportsClosed()
    {
        var channel = Channel.CreateBounded<FrameLease>(1);
        var writer = new BlockingFrameWriter(channel.Writer, CancellationToken.None);
        channel.Writer.Complete();
        FrameLease lease = Rent(0);

        Assert.False(writer.Write(lease));

        Assert.True(writer.ChannelClosed);
        Assert.True(lease.IsValid);
        lease.Dispose();
    }

    [Fact]
    public async Task Write_WaitModeFullManyTimes_AllocatesNothingPerWriteAfterWarmUp()
    {
        // A plain pool: a diagnostic one records a stack trace per rent.
        using var pool = new FramePool(4, 256);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        var writer = new BlockingFrameWriter(handOff.Writer, CancellationToken.None);
        int waits = 0;
        const int warmUp = 2_000;
        const int window = 4_000;
        const int measured = 5 * window;
        long allocated = -1;

        // The writes after warm-up in five windows of 4 000, the fewest bytes any window allocated on the producer
        // (AllocationProbe): a runtime recompilation landing in one window is not the writer's.
        var producer = new Thread(() =>
        {
            bool open = WriteMany(warmUp);
            allocated = AllocationProbe.MinAllocatedBytes(() => open = open && WriteMany(window), windows: measured / window);
            handOff.Writer.Complete();
        });

        bool WriteMany(int count)
        {
            for (int i = 0; i < count; i++)
            {
                FrameLease lease;
                while (!pool.TryRent(out lease))
                {
                    Thread.Yield();
                }
                if (handOff.Reader.Count == 1)
                {
                    waits++;
                }
                if (!writer.Write(lease))
                {
                    lease.Dispose();
                    return false;
                }
            }
            return true;
        }

        producer.Start();
        int read = 0;
        while (await handOff.Reader.WaitToReadAsync())
        {
            while (handOff.Reader.TryRead(out FrameLease lease))
            {
                // Make the reader the slower side often enough that the writer really waits.
                if (read++ % 4 == 0)
                {
                    Thread.Sleep(0);
                }
                lease.Dispose();
            }
        }
        producer.Join();

        Assert.Equal(warmUp + measured, read);
        Assert.True(waits > measured / 10, $"the writer found the channel full only {waits} times; the blocking path was not exercised");
        // Not exactly 0: when room appears between checking the wait and registering for it, the channel queues the
        // wake-up as a 32-byte thread-pool item (about once in a few thousand waits; more often in a Debug build under
        // load). Anything allocated per write, the smallest object being 24 bytes, fails this: it would be 96 000 bytes
        // in every window.
        Assert.True(allocated < window, $"{allocated} bytes allocated over {window} writes (the fewest of {measured / window} windows)");
    }

    private FrameLease Rent(long sequence)
    {
        Assert.True(_pool.TryRent(out FrameLease lease));
        lease.Metadata = new Core.FrameMetadata(0, sequence, 0, 0, 0, 0);
        return lease;
    }
}
