using System.Runtime.InteropServices;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Frames.Tests;

public sealed class FramePoolConcurrencyTests
{
    [Fact]
    public void TryRentAndDispose_SeveralThreads_KeepEverySlotExclusiveAndAccounted()
    {
        const int threads = 4;
        const int iterations = 20_000;
        const int slots = 3;
        using var pool = new FramePool(slots, 256);
        long[] rented = new long[threads];
        int exclusivityViolations = 0;
        using var start = new Barrier(threads);

        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                int marker = id + 1;
                for (int i = 0; i < iterations; i++)
                {
                    if (!pool.TryRent(out FrameLease lease))
                    {
                        Thread.Yield();
                        continue;
                    }
                    // Stamp the slot and check nobody else wrote it while we own it.
                    Span<int> words = MemoryMarshal.Cast<byte, int>(SlotBytes(lease));
                    words[0] = marker;
                    Thread.SpinWait(20);
                    if (words[0] != marker)
                    {
                        Interlocked.Increment(ref exclusivityViolations);
                    }
                    rented[id]++;
                    lease.Dispose();
                }
            });
            workers[t].Start();
        }
        foreach (Thread w in workers)
        {
            w.Join();
        }

        Assert.Equal(0, exclusivityViolations);
        Assert.Equal(slots, pool.Available);
        Assert.True(rented.Sum() > iterations, "the threads should have rented many slots between them");
        pool.AssertNoLeaks();
        for (int i = 0; i < slots; i++)
        {
            Assert.True(pool.TryRent(out _));
        }
        Assert.False(pool.TryRent(out _));
    }

    [Fact]
    public void TryRentAndDispose_RentOnOneThreadReturnOnAnother_KeepsEverySlotAccounted()
    {
        const int frames = 50_000;
        const int slots = 4;
        using var pool = new FramePool(slots, 256);
        var handOff = new System.Collections.Concurrent.BlockingCollection<FrameLease>(slots);
        long produced = 0;

        var producer = new Thread(() =>
        {
            for (int i = 0; i < frames; i++)
            {
                FrameLease lease;
                while (!pool.TryRent(out lease))
                {
                    Thread.Yield();
                }
                produced++;
                handOff.Add(lease);
            }
            handOff.CompleteAdding();
        });
        producer.Start();
        long consumed = 0;
        foreach (FrameLease lease in handOff.GetConsumingEnumerable())
        {
            lease.Dispose();
            consumed++;
        }
        producer.Join();

        Assert.Equal(frames, produced);
        Assert.Equal(frames, consumed);
        Assert.Equal(slots, pool.Available);
        pool.AssertNoLeaks();
    }

    [Fact]
    public void Dispose_SameLeaseRacedOnTwoThreads_ExactlyOneWins()
    {
        const int rounds = 2_000;
        using var pool = new FramePool(1, 256);
        using var barrier = new Barrier(2);
        int failures = 0;
        int successes = 0;
        FrameLease shared = default;

        var other = new Thread(() =>
        {
            for (int r = 0; r < rounds; r++)
            {
                barrier.SignalAndWait();
                TryDispose(shared, ref successes, ref failures);
                barrier.SignalAndWait();
            }
        });
        other.Start();
        for (int r = 0; r < rounds; r++)
        {
            Assert.True(pool.TryRent(out shared));
            barrier.SignalAndWait();
            TryDispose(shared, ref successes, ref failures);
            barrier.SignalAndWait();
            Assert.Equal(1, pool.Available);
        }
        other.Join();

        Assert.Equal(rounds, successes);
        Assert.Equal(rounds, failures);
    }

    private static void TryDispose(FrameLease lease, ref int successes, ref int failures)
    {
        try
        {
            lease.Dispose();
            Interlocked.Increment(ref successes);
        }
        catch (InvalidOperationException)
        {
            Interlocked.Increment(ref failures);
        }
    }

    private static unsafe Span<byte> SlotBytes(FrameLease lease) => new((void*)lease.Pointer, lease.CapacityBytes);
}
