using System.Diagnostics;
using OpenCvSharp;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>
/// One OpenCV <see cref="Mat"/> header per frame slot, made over the slot's memory the first time the slot is used
/// and reused for every later frame in it: slots never move, and OpenCvSharp cannot re-point an existing header, so
/// this is what keeps decoding free of per-frame managed allocations. The headers never own the pixels.
/// </summary>
internal sealed class SlotMatHeaders : IDisposable
{
    private readonly Mat?[] _headers;
    private readonly IntPtr[] _pointers;

    public SlotMatHeaders(int slotCount)
    {
        _headers = new Mat?[slotCount];
        _pointers = new IntPtr[slotCount];
    }

    /// <summary>The header over <paramref name="lease"/>'s slot in the lease's current format.</summary>
    public Mat For(in FrameLease lease)
    {
        int index = lease.SlotIndex;
        Mat? header = _headers[index];
        if (header is null || _pointers[index] != lease.Pointer)
        {
            header?.Dispose();
            header = Mat.FromPixelData(lease.Height, lease.Width, MatType.CV_8UC3, lease.Pointer, lease.Stride);
            _headers[index] = header;
            _pointers[index] = lease.Pointer;
        }
        Debug.Assert(header.Data == lease.Pointer, "a slot header must point at its slot");
        return header;
    }

    /// <summary>
    /// Drops a header that no longer points at its slot: OpenCV released it after a failed read, or reallocated
    /// its own buffer because the decoded frame did not match. The next frame in the slot gets a new one.
    /// </summary>
    public void Forget(int slotIndex)
    {
        _headers[slotIndex]?.Dispose();
        _headers[slotIndex] = null;
        _pointers[slotIndex] = IntPtr.Zero;
    }

    public void Dispose()
    {
        for (int i = 0; i < _headers.Length; i++)
        {
            Forget(i);
        }
    }
}
