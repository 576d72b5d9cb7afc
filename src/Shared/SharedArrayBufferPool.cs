using System.Buffers;
using System.Numerics;
using NetMQ;

namespace RealtimeSeg.Transport;

/// <summary>
/// Backs NetMQ's message buffers with <see cref="ArrayPool{T}.Shared"/>. NetMQ's default pool allocates a new
/// array for every message part, sent or received (a 15 KB frame payload = 15 KB of garbage per frame); this
/// one recycles them. NetMQ's pool is process-wide, so this is installed process-wide; it is tolerant of arrays
/// it did not hand out (from the pool installed before it), which it leaves to the GC instead of throwing like
/// NetMQ's own BufferManager pool would. Stateless: <see cref="ArrayPool{T}.Shared"/> holds the buffers.
/// </summary>
/// <remarks>
/// Shared source, compiled into both the publisher (RealtimeSeg.Publishing) and the subscriber library
/// (RealtimeSeg.Client), which must not reference each other (DESIGN §3). Each assembly has its own instance;
/// installing one over the other is harmless because both lend from and return to the same shared pool.
/// NetMQ's per-message reference counters (<c>AtomicCounterPool</c>) are deliberately left to NetMQ: a shared
/// message returns its counter once per copy, so a recycling counter pool would hand one counter to two
/// live messages.
/// </remarks>
internal sealed class SharedArrayBufferPool : IBufferPool
{
    public static readonly SharedArrayBufferPool Instance = new();

    private SharedArrayBufferPool() { }

    /// <summary>Installs the pool; idempotent, and a no-op swap when it is already installed.</summary>
    public static void Install() => BufferPool.SetCustomBufferPool(Instance);

    public byte[] Take(int size) => ArrayPool<byte>.Shared.Rent(size);

    public void Return(byte[] buffer)
    {
        // ArrayPool.Shared only accepts power-of-two lengths it could have rented; anything else came from
        // a previous pool and is simply dropped.
        if (buffer.Length >= 16 && BitOperations.IsPow2(buffer.Length))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // NetMQ disposes the previous pool when another is installed; this instance must survive re-installation.
    public void Dispose() { }
}
