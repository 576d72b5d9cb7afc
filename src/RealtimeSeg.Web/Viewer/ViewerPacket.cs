using System.Diagnostics;

namespace RealtimeSeg.Web.Viewer;

/// <summary>
/// One frame as the browser receives it (<see cref="ViewerPacketLayout"/>), built once and shared by every client that
/// is sent it. Pooled and reference-counted like a composed frame: the hub holds one reference while it offers the
/// packet, each client slot that keeps it holds another, and the last <see cref="Release"/> returns it to its pool.
/// Its buffer grows to the largest frame and is then reused, so building and sending packets allocates nothing.
/// </summary>
internal sealed class ViewerPacket
{
    private readonly ViewerPacketPool _pool;
    private byte[] _buffer = new byte[64 * 1024];
    private int _references;

    public ViewerPacket(ViewerPacketPool pool)
    {
        _pool = pool;
    }

    /// <summary>The stream the packet belongs to (its index in the viewer's stream list).</summary>
    public int StreamIndex { get; private set; }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Room for <paramref name="length"/> bytes, for the one building the packet (it holds the only reference).</summary>
    public Span<byte> Prepare(int streamIndex, int length)
    {
        Debug.Assert(Volatile.Read(ref _references) == 1, "only a freshly rented packet is written");
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }
        StreamIndex = streamIndex;
        Length = length;
        return _buffer.AsSpan(0, length);
    }

    public void AddRef()
    {
        int after = Interlocked.Increment(ref _references);
        Debug.Assert(after > 1, "a packet in the pool is not referenced again");
    }

    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("a viewer packet was released more often than it was referenced (a double release)");
        }
    }

    internal void OnRent() => Volatile.Write(ref _references, 1);
}
