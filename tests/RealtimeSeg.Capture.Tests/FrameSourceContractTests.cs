using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests;

/// <summary>
/// What every <see cref="IFrameSource"/> must do, whatever it reads (file, image sequence, RTSP, camera, generator).
/// A source's test class inherits this and says how to open the source; the source must be able to produce at least
/// <see cref="MinimumFrames"/> frames (it may loop to do so). The sources run on real media, so these skip without
/// the shared assets.
/// </summary>
public abstract class FrameSourceContractTests
{
    protected const int MinimumFrames = 12;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Opens a fresh source with <paramref name="options"/>.</summary>
    protected abstract IFrameSource OpenSource(SourceOptions options);

    private static FramePool PoolFor(IFrameSource source, int slots = 4)
        => new(slots, FramePool.BytesForBgr(source.Width, source.Height), diagnostics: true);

    [AssetFact]
    public async Task RunAsync_MaxFramesReached_CompletesWriterAndTask()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = MinimumFrames });
        using FramePool pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.True(handOff.Reader.Completion.IsCompletedSuccessfully);
        Assert.Equal(MinimumFrames, received.Count);
    }

    [AssetFact]
    public async Task RunAsync_Lockstep_SequenceStrictlyIncreasingWithoutGapsAndTimestampsOrdered()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = MinimumFrames });
        using FramePool pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, holdMs: 2).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        received.AssertSequenceStrictlyIncreasing();
        received.AssertTimestampsNonDecreasing();
        // Lockstep never drops, so the numbers are exactly 0..n-1.
        for (int i = 0; i < received.Count; i++)
        {
            Assert.Equal(i, received.Metadata[i].Sequence);
        }
        long now = MonotonicClock.UtcNowNs();
        Assert.InRange(received.Metadata[0].CaptureUtcNs, now - (long)Timeout.TotalNanoseconds, now);
    }

    [AssetFact]
    public async Task RunAsync_Lockstep_FramesCarryTheSourceGeometryAndStreamIndex()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 3 });
        using FramePool pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(3, received.Count);
        for (int i = 0; i < received.Count; i++)
        {
            Assert.Equal(source.StreamIndex, received.Metadata[i].StreamIndex);
            Assert.Equal(source.Width, received.Metadata[i].Width);
            Assert.Equal(source.Height, received.Metadata[i].Height);
            Assert.Equal((source.Width, source.Height), (received.Geometry[i].Width, received.Geometry[i].Height));
            Assert.True(received.Geometry[i].Stride >= source.Width * 3);
        }
    }

    [AssetFact]
    public async Task RunAsync_ReaderDisposesEveryLease_PoolHasNoLeaksAndCountersAddUp()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = MinimumFrames });
        var pool = PoolFor(source, slots: 2);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        pool.AssertNoLeaks();
        pool.Dispose();
        SourceCounters c = source.Counters;
        Assert.Equal(received.Count, c.FramesCaptured);
        Assert.Equal(c.FramesRead, c.FramesCaptured + c.FramesDroppedNoSlot + c.FramesCorrupt + c.FramesSkipped);
        Assert.Equal(0, c.FramesDroppedNoSlot);
    }

    [AssetFact]
    public async Task RunAsync_CancelledMidStream_CompletesWriterCancelsTaskAndLeaksNothing()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Realtime, Loop = true });
        using var cts = new CancellationTokenSource();
        var pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.DropOldest, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, cts.Token);
        int seen = 0;
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, _ =>
        {
            if (++seen == 3)
            {
                cts.Cancel();
            }
        }).WaitAsync(Timeout);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        Assert.True(run.IsCanceled);
        Assert.True(handOff.Reader.Completion.IsCompleted);
        Assert.False(handOff.Reader.Completion.IsFaulted);
        Assert.InRange(received.Count, 3, 3 + 2);
        handOff.DrainAndRelease();
        pool.AssertNoLeaks();
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_CancelledWhileWaitingOnAFullChannel_StopsAndLeaksNothing()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, Loop = true });
        using var cts = new CancellationTokenSource();
        var pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, cts.Token);
        // Nobody reads: the source fills the channel and blocks on the next write.
        await WaitUntil(() => source.Counters.FramesRead >= 2);
        // Not a wait for anything: a window in which a source that failed to block would have run on.
        await Task.Delay(50);
        Assert.False(run.IsCompleted);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        Assert.True(handOff.Reader.Completion.IsCompleted || handOff.Reader.Count == 1);
        Assert.Equal(1, handOff.DrainAndRelease());
        await handOff.Reader.Completion.WaitAsync(Timeout);
        Assert.Equal(1, source.Counters.FramesCaptured);
        pool.AssertNoLeaks();
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_SlowReaderBehindDropOldest_DropsAreCountedAndEveryLeaseReturned()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Max, MaxFrames = 30 });
        var pool = PoolFor(source, slots: 3);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        // While the reader holds a frame the source reads three more: one slot held, one queued, so some must be dropped.
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, hold: ReceivedFrames.UntilSourceReadAhead(source, run, 3)).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        SourceCounters c = source.Counters;
        Assert.Equal(30, c.FramesRead);
        Assert.True(handOff.Dropped + c.FramesDroppedNoSlot > 0, "a reader this slow must cause drops");
        Assert.Equal(c.FramesCaptured, received.Count + handOff.Dropped);
        Assert.Equal(c.FramesRead, c.FramesCaptured + c.FramesDroppedNoSlot + c.FramesCorrupt + c.FramesSkipped);
        received.AssertSequenceStrictlyIncreasing();
        Assert.True(received.Metadata[^1].Sequence - received.Metadata[0].Sequence + 1 > received.Count, "drops must show as gaps in the sequence numbers");
        pool.AssertNoLeaks();
        pool.Dispose();
    }

    [AssetFact]
    public async Task RunAsync_CalledTwice_ThrowsInvalidOperation()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 1 });
        using FramePool pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());
        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        await ReceivedFrames.ReadAllAsync(handOff.Reader).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        var again = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());
        // Misuse is reported at the call, not through the task.
        Assert.Throws<InvalidOperationException>(() => { _ = source.RunAsync(pool, again.Writer, CancellationToken.None); });
    }

    [AssetFact]
    public async Task RunAsync_PoolSlotsTooSmall_FaultsTaskAndCompletesWriterWithTheError()
    {
        using IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 1 });
        using var pool = new FramePool(2, 64 * 64, diagnostics: true);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => run.WaitAsync(Timeout));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => handOff.Reader.Completion.WaitAsync(Timeout));
        Assert.Contains("bytes", ex.Message, StringComparison.Ordinal);
    }

    [AssetFact]
    public async Task Dispose_WhileRunning_StopsCaptureAndCompletesWriter()
    {
        IFrameSource source = OpenSource(new SourceOptions { Pacing = Pacing.Realtime, Loop = true });
        var pool = PoolFor(source);
        var handOff = new HandOff<FrameLease>(2, HandOffMode.DropOldest, static l => l.Dispose());
        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        await WaitUntil(() => source.Counters.FramesCaptured >= 2);

        source.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        // The reader's completion fires once the writer is completed and the queue is empty.
        handOff.DrainAndRelease();
        await handOff.Reader.Completion.WaitAsync(Timeout);
        pool.AssertNoLeaks();
        pool.Dispose();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        DateTime giveUp = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "the source made no progress");
            await Task.Delay(5);
        }
    }
}
