using System.Buffers;
using System.Diagnostics;

namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array that is reused from frame to frame: <see cref="Clear"/> keeps the
/// array, so after the first frames have grown it to the largest message, writing allocates nothing.
/// (<see cref="ArrayBufferWriter{T}"/> would do, but it clears the written bytes on every reset.)
/// </summary>
internal sealed class GrowableBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;

    public GrowableBufferWriter(int initialCapacity)
    {
        _buffer = new byte[Math.Max(256, initialCapacity)];
    }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException($"advanced {count} bytes past the {_buffer.Length - _written} bytes handed out");
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int need = Math.Max(1, sizeHint);
        if (_buffer.Length - _written >= need)
        {
            return;
        }
        int size = Math.Max(_buffer.Length * 2, _written + need);
        Array.Resize(ref _buffer, size);
        Debug.Assert(_buffer.Length - _written >= need);
    }
}
