using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Frames;

/// <summary>
/// One fixed block of pinned, 64-byte-aligned native memory that holds one BGR frame. Slots never move and
/// are never freed while their pool lives, so native code (OpenCV, an ffmpeg pipe reader, the preprocessor)
/// can read and write them by pointer. Only a <see cref="FrameLease"/> with the current
/// <see cref="Generation"/> may touch a slot; returning the slot bumps the generation, which turns every
/// stale lease into an <see cref="ObjectDisposedException"/> instead of silent corruption.
/// </summary>
public sealed unsafe class FrameSlot
{
    internal FrameSlot(FramePool pool, int index, int capacityBytes)
    {
        Pool = pool;
        Index = index;
        CapacityBytes = capacityBytes;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)capacityBytes, FramePool.Alignment);
        Debug.Assert(((nuint)Pointer & (FramePool.Alignment - 1)) == 0);
    }

    internal FramePool Pool { get; }
    public int Index { get; }
    public int CapacityBytes { get; }
    internal byte* Pointer { get; private set; }

    /// <summary>Bumped on every return; a lease is valid only while its copy matches.</summary>
    internal int Generation;

    /// <summary>1 while rented, 0 while in the pool (interlocked, to catch a double return).</summary>
    internal int Rented;

    internal int Width;
    internal int Height;
    internal int Stride;
    internal FrameMetadata Metadata;
    internal string? RentedAt;

    internal void Free()
    {
        if (Pointer != null)
        {
            NativeMemory.AlignedFree(Pointer);
            Pointer = null;
        }
    }
}
