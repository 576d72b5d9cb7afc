using System.Diagnostics;
using System.Text;

namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// A fixed set of <see cref="ComposedFrame"/>s. Renting and returning allocate nothing once the frames' buffers have
/// grown to the stream's size. When every frame is out, <see cref="TryRent"/> fails instead of growing: the caller
/// drops the frame and counts it, so memory and latency stay bounded (the pipeline sizes the pool so that this only
/// happens when sinks hold more than their queues allow).
/// <para>Frames are handed out last-returned first (the one just released is warm in cache, and a run that keeps up
/// touches only a few). Diagnostic mode (tests) records where each frame was rented, hands frames out first-returned
/// first instead (so a frame used after its release is not at once someone else's, and the use throws), and
/// <see cref="AssertNoLeaks"/> names every frame still out and where it was rented.</para>
/// Thread-safe: frames are rented on the compose stage and returned on whichever sink releases last.
/// </summary>
public sealed class ComposedFramePool
{
    private readonly ComposedFrame[] _frames;
    private readonly string?[] _rentedAt;
    private readonly int[] _free;
    private readonly Lock _lock = new();
    private int _head;
    private int _freeCount;

    /// <param name="capacity">Frames in the pool.</param>
    /// <param name="mapCells">Map pixels to allocate per frame up front (the largest stream's map), so no frame grows its map mid-run; 0 grows on first use.</param>
    /// <param name="diagnostics">Record where frames are rented and hand them out first-returned first.</param>
    public ComposedFramePool(int capacity, int mapCells = 0, bool diagnostics = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(mapCells);
        Diagnostics = diagnostics;
        _frames = new ComposedFrame[capacity];
        _rentedAt = new string?[capacity];
        _free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _frames[i] = new ComposedFrame(this, i, mapCells);
            _free[i] = i;
        }
        _freeCount = capacity;
    }

    public bool Diagnostics { get; }
    public int Capacity => _frames.Length;

    public int Available
    {
        get { lock (_lock) { return _freeCount; } }
    }

    public int Outstanding => Capacity - Available;

    /// <summary>Rents a frame holding one reference, or false when every frame is out.</summary>
    public bool TryRent(out ComposedFrame frame)
    {
        lock (_lock)
        {
            if (_freeCount == 0)
            {
                frame = null!;
                return false;
            }
            // The free list is a ring: FIFO takes from its head (diagnostics), LIFO from its tail.
            int index;
            if (Diagnostics)
            {
                index = _free[_head];
                _head = _head + 1 == _free.Length ? 0 : _head + 1;
            }
            else
            {
                int tail = _head + _freeCount - 1;
                index = _free[tail >= _free.Length ? tail - _free.Length : tail];
            }
            _freeCount--;
            frame = _frames[index];
        }
        if (Diagnostics)
        {
            _rentedAt[frame.Index] = new StackTrace(1, fNeedFileInfo: true).ToString();
        }
        frame.OnRent();
        return true;
    }

    internal void Return(ComposedFrame frame)
    {
        Debug.Assert(ReferenceEquals(_frames[frame.Index], frame), "a frame returns to the pool that made it");
        _rentedAt[frame.Index] = null;
        lock (_lock)
        {
            Debug.Assert(_freeCount < _frames.Length, "more frames returned than rented");
            int tail = _head + _freeCount;
            if (tail >= _free.Length)
            {
                tail -= _free.Length;
            }
            _free[tail] = frame.Index;
            _freeCount++;
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming every frame still out (and, in diagnostic mode, where it was rented).</summary>
    public void AssertNoLeaks()
    {
        StringBuilder? report = null;
        int leaked = 0;
        foreach (ComposedFrame frame in _frames)
        {
            if (frame.References > 0)
            {
                leaked++;
                report ??= new StringBuilder();
                report.Append("composed frame ").Append(frame.Index).Append(" (").Append(frame.References).Append(" references) rented at:").AppendLine();
                report.AppendLine(_rentedAt[frame.Index] ?? "  (enable diagnostics to record where)");
            }
        }
        if (leaked > 0)
        {
            throw new InvalidOperationException($"{leaked} of {Capacity} composed frames were never released:{Environment.NewLine}{report}");
        }
    }
}
