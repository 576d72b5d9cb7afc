using System.Diagnostics;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// The last <see cref="OverlayStyle.TrailLength"/> centroids of each track of one stream, in frame order, in canvas
/// pixels. A track unseen for <see cref="OverlayStyle.TrailForgetFrames"/> frames is forgotten; when every slot is
/// taken, the longest-unseen track makes room. Fixed storage: nothing is allocated per frame.
/// </summary>
internal sealed class TrackTrails
{
    private const int Slots = 256;
    private const int Length = OverlayStyle.TrailLength;

    private readonly float[] _x = new float[Slots * Length];
    private readonly float[] _y = new float[Slots * Length];
    private readonly int[] _count = new int[Slots];
    private readonly int[] _head = new int[Slots];
    private readonly int[] _track = new int[Slots];
    private readonly long[] _lastSeen = new long[Slots];
    private readonly Dictionary<int, int> _slotOf = new(Slots);
    private long _frame;

    /// <summary>Starts a frame: forgets the tracks unseen for too long.</summary>
    public void BeginFrame()
    {
        _frame++;
        for (int s = 0; s < Slots; s++)
        {
            if (_track[s] != 0 && _frame - _lastSeen[s] > OverlayStyle.TrailForgetFrames)
            {
                Free(s);
            }
        }
    }

    /// <summary>Appends the centroid of <paramref name="track"/> (≥ 1) in this frame.</summary>
    public void Add(int track, float x, float y)
    {
        Debug.Assert(track > 0, "only tracked things have trails");
        if (!_slotOf.TryGetValue(track, out int s))
        {
            s = TakeSlot();
            _track[s] = track;
            _count[s] = 0;
            _head[s] = 0;
            _slotOf[track] = s;
        }
        else if (_lastSeen[s] == _frame)
        {
            return; // one point per frame (a track split into two segments)
        }
        _lastSeen[s] = _frame;
        int at = (s * Length) + _head[s];
        _x[at] = x;
        _y[at] = y;
        _head[s] = (_head[s] + 1) % Length;
        _count[s] = Math.Min(_count[s] + 1, Length);
    }

    /// <summary>Copies the trail of <paramref name="track"/>, oldest first, into the spans; returns the number of points.</summary>
    public int CopyTrail(int track, Span<float> xs, Span<float> ys)
    {
        if (!_slotOf.TryGetValue(track, out int s))
        {
            return 0;
        }
        int n = _count[s];
        int start = (_head[s] - n + Length) % Length;
        for (int i = 0; i < n; i++)
        {
            int at = (s * Length) + ((start + i) % Length);
            xs[i] = _x[at];
            ys[i] = _y[at];
        }
        return n;
    }

    private int TakeSlot()
    {
        int oldest = 0;
        for (int s = 0; s < Slots; s++)
        {
            if (_track[s] == 0)
            {
                return s;
            }
            if (_lastSeen[s] < _lastSeen[oldest])
            {
                oldest = s;
            }
        }
        Free(oldest);
        return oldest;
    }

    private void Free(int slot)
    {
        _slotOf.Remove(_track[slot]);
        _track[slot] = 0;
        _count[slot] = 0;
    }
}
