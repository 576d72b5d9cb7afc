namespace RealtimeSeg.Core;

/// <summary>
/// Paints a panoptic map as a BGR image a person can read: stuff in its category's colour, things in a colour of their
/// track id (so one object keeps one colour over time) or of their category when untracked, void black. Reuses its
/// buffers: after the first frames it allocates nothing. <see cref="ColorOf"/> is the one colour rule of every output
/// (the recording's map and boxes, the overlay video, the browser viewer's port of it): an object has one colour
/// everywhere.
/// </summary>
public sealed class PanopticColorizer
{
    private readonly CategoryTable _categories;
    private byte[] _bgr = [];
    private int[] _colorOfSegment = new int[256];

    public PanopticColorizer(CategoryTable categories)
    {
        _categories = categories;
    }

    /// <summary>The image of <paramref name="frame"/>'s map: map_w × map_h BGR bytes, valid until the next call.</summary>
    public ReadOnlySpan<byte> Paint(PanopticFrame frame)
    {
        int n = frame.MapWidth * frame.MapHeight;
        if (_bgr.Length < n * 3)
        {
            _bgr = new byte[n * 3];
        }
        int maxId = 0;
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            maxId = Math.Max(maxId, s.Id);
        }
        if (_colorOfSegment.Length <= maxId)
        {
            Array.Resize(ref _colorOfSegment, Math.Max(maxId + 1, _colorOfSegment.Length * 2));
        }
        Array.Clear(_colorOfSegment, 0, maxId + 1);
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            _colorOfSegment[s.Id] = ColorOf(s);
        }
        ReadOnlySpan<ushort> map = frame.Map;
        Span<byte> bgr = _bgr.AsSpan(0, n * 3);
        for (int i = 0; i < n; i++)
        {
            int id = map[i];
            int rgb = id <= maxId ? _colorOfSegment[id] : 0;
            bgr[(i * 3) + 0] = (byte)rgb;
            bgr[(i * 3) + 1] = (byte)(rgb >> 8);
            bgr[(i * 3) + 2] = (byte)(rgb >> 16);
        }
        return bgr;
    }

    /// <summary>0xRRGGBB of a segment.</summary>
    public int ColorOf(in PanopticSegment s)
    {
        if (s.IsThing && s.TrackId > 0)
        {
            return Palette.ColorFor(s.TrackId);
        }
        return _categories.TryGet(s.CategoryId, out Category c) ? c.Color : Palette.ColorFor(s.CategoryId);
    }
}
