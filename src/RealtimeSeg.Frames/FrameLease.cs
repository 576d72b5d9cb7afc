using System.Runtime.CompilerServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Frames;

/// <summary>
/// Exclusive, temporary ownership of one <see cref="FrameSlot"/>.
/// <para>Lifetime (as with ONNX Runtime's <c>OrtValue</c>): the lease is created by
/// <see cref="FramePool.TryRent"/> and must be disposed exactly once by whoever holds it last. Handing a lease
/// to the next stage by writing it to a channel transfers ownership: the writer must not touch it afterwards
/// and the reader disposes it. Copies of the struct share one ownership; after <see cref="Dispose"/> every copy
/// throws <see cref="ObjectDisposedException"/> on use, and a second dispose throws
/// <see cref="InvalidOperationException"/>.</para>
/// </summary>
public readonly unsafe struct FrameLease : IDisposable
{
    private readonly FrameSlot? _slot;
    private readonly int _generation;

    internal FrameLease(FrameSlot slot, int generation)
    {
        _slot = slot;
        _generation = generation;
    }

    /// <summary>False for <c>default</c> and for leases whose slot has been returned.</summary>
    public bool IsValid => _slot is not null && Volatile.Read(ref _slot.Generation) == _generation;

    public int SlotIndex => Slot.Index;
    public int CapacityBytes => Slot.CapacityBytes;

    /// <summary>Start of the slot's pixel memory; pinned and 64-byte aligned for the slot's life.</summary>
    public IntPtr Pointer => (IntPtr)Slot.Pointer;

    public int Width => Slot.Width;
    public int Height => Slot.Height;

    /// <summary>Bytes from one row to the next (≥ Width × 3).</summary>
    public int Stride => Slot.Stride;

    /// <summary>The frame's pixels (BGR, <see cref="Height"/> rows of <see cref="Stride"/> bytes).</summary>
    public Span<byte> Pixels
    {
        get
        {
            FrameSlot s = Slot;
            return new Span<byte>(s.Pointer, s.Height * s.Stride);
        }
    }

    public FrameMetadata Metadata
    {
        get => Slot.Metadata;
        set => Slot.Metadata = value;
    }

    /// <summary>Declares the frame geometry written into the slot. Throws when it does not fit.</summary>
    public void SetFormat(int width, int height, int stride)
    {
        FrameSlot s = Slot;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * 3);
        if ((long)stride * height > s.CapacityBytes)
        {
            throw new ArgumentException(
                $"a {width}x{height} frame with stride {stride} needs {(long)stride * height} bytes but frame slots hold {s.CapacityBytes}; size the pool for the largest stream",
                nameof(height));
        }
        s.Width = width;
        s.Height = height;
        s.Stride = stride;
    }

    /// <summary>Returns the slot to its pool. Exactly once per lease.</summary>
    public void Dispose()
    {
        FrameSlot? s = _slot;
        if (s is null)
        {
            return;
        }
        s.Pool.Return(s, _generation);
    }

    private FrameSlot Slot
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            FrameSlot? s = _slot;
            if (s is null || Volatile.Read(ref s.Generation) != _generation)
            {
                ThrowStale();
            }
            return s!;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStale()
        => throw new ObjectDisposedException(nameof(FrameLease), "the frame lease was used after its slot went back to the pool (or it is default)");
}
