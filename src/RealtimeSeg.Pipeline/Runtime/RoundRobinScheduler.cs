using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Picks the next frame for the one model session shared by several streams: the streams are visited in rotation,
/// starting after the one served last, and the first with a frame waiting is served. A stream that always has a
/// frame (a source outrunning inference) therefore gets at most every N-th inference and cannot starve the others;
/// an idle stream costs nothing. Each ring keeps only its freshest frames (drop-oldest), so what waits is bounded
/// per stream. Single consumer (the inference stage); allocation-free.
/// </summary>
internal sealed class RoundRobinScheduler
{
    private readonly ChannelReader<FrameLease>[] _rings;
    private readonly bool[] _ended;
    private readonly Action<int, Exception?> _onEnded;
    private int _next;
    private int _live;

    /// <param name="rings">One ring per stream, by stream index.</param>
    /// <param name="onEnded">Told once per stream when its ring is completed and empty, with the failure that ended it (null at a normal end).</param>
    public RoundRobinScheduler(ChannelReader<FrameLease>[] rings, Action<int, Exception?> onEnded)
    {
        ArgumentNullException.ThrowIfNull(rings);
        ArgumentOutOfRangeException.ThrowIfZero(rings.Length);
        _rings = rings;
        _ended = new bool[rings.Length];
        _onEnded = onEnded;
        _live = rings.Length;
    }

    /// <summary>True once every stream has ended: nothing more will come.</summary>
    public bool AllEnded => _live == 0;

    public int StreamCount => _rings.Length;

    /// <summary>The next frame in rotation: its stream index, or -1 when no stream has a frame right now.</summary>
    public int TryTake(out FrameLease lease)
    {
        int n = _rings.Length;
        for (int k = 0; k < n; k++)
        {
            int i = _next + k;
            if (i >= n)
            {
                i -= n;
            }
            if (_ended[i])
            {
                continue;
            }
            ChannelReader<FrameLease> ring = _rings[i];
            if (ring.TryRead(out lease))
            {
                _next = i + 1 == n ? 0 : i + 1;
                return i;
            }
            // Completion finishes only when the writer completed and the ring is empty: nothing is lost by ending here.
            Task completion = ring.Completion;
            if (completion.IsCompleted)
            {
                _ended[i] = true;
                _live--;
                _onEnded(i, completion.IsFaulted ? completion.Exception!.InnerException : null);
            }
        }
        AssertInvariants();
        lease = default;
        return -1;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        int live = 0;
        foreach (bool e in _ended)
        {
            live += e ? 0 : 1;
        }
        Debug.Assert(live == _live, "the live count matches the streams not yet ended");
        Debug.Assert(_next >= 0 && _next < _rings.Length, "the rotation points at a stream");
    }
}
