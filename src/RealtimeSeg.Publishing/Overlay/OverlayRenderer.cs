using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// Draws one stream's panoptic frames over its camera image, in the style every overlay shares (<see cref="OverlayStyle"/>,
/// docs/viewer.md): stuff blended in its category colour, things filled and outlined in their track's colour, a label
/// "{category} #{track} {age}" at each thing's box, a trail of each track's last centroids, and a heads-up line
/// "{stream}  {fps} fps  {latency} ms  dropped {n}". The one drawing code of the overlay video and the stills.
/// <para>The canvas is <see cref="Width"/> × <see cref="Height"/> packed BGR, reused for every frame: after the first
/// frame nothing is allocated. One renderer per stream (it keeps the stream's trails and rate); one thread at a time.</para>
/// </summary>
internal sealed class OverlayRenderer
{
    private const byte KindNone = 0, KindStuff = 1, KindTracked = 2, KindUntracked = 3;

    private readonly CategoryTable _categories;
    private readonly PanopticColorizer _colors;
    private readonly string _stream;
    private readonly byte[] _canvas;
    private readonly GlyphAtlas _glyphs;
    private readonly TrackTrails _trails = new();
    private readonly ushort[][] _rows = new ushort[(2 * OverlayStyle.OutlineWidth) + 1][];
    private readonly int[] _mapColumn;
    private readonly int[] _rowOf;
    private readonly float[] _trailX = new float[OverlayStyle.TrailLength];
    private readonly float[] _trailY = new float[OverlayStyle.TrailLength];
    private readonly char[] _text = new char[256];
    private byte[] _kind = new byte[256];
    private int[] _color = new int[256];
    private int _maxId;
    private int _mapWidth = -1;
    private int _mapHeight = -1;

    public OverlayRenderer(CategoryTable categories, string stream, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _categories = categories;
        _colors = new PanopticColorizer(categories);
        _stream = stream;
        Width = width;
        Height = height;
        _canvas = new byte[width * height * 3];
        _glyphs = new GlyphAtlas(OverlayStyle.FontScale(height));
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = new ushort[width];
        }
        _mapColumn = new int[width];
        _rowOf = new int[height];
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The last frame drawn: <see cref="Width"/> × <see cref="Height"/> BGR pixels, rows packed; valid until the next <see cref="Render"/>.</summary>
    public ReadOnlySpan<byte> Canvas => _canvas;

    /// <summary>The heads-up figures of this stream so far.</summary>
    public StreamMeter Meter { get; } = new();

    /// <summary>
    /// Draws <paramref name="frame"/> over <paramref name="camera"/>: packed BGR of <paramref name="cameraWidth"/> ×
    /// <paramref name="cameraHeight"/>, at least the canvas's size (a wider or taller image is cropped to its top-left
    /// corner: odd sides of an H.264 frame); empty for a dark background.
    /// </summary>
    public void Render(ReadOnlySpan<byte> camera, int cameraWidth, int cameraHeight, PanopticFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        CopyCamera(camera, cameraWidth, cameraHeight);
        Meter.Observe(frame);
        _trails.BeginFrame();
        if (frame.MapWidth > 0 && frame.MapHeight > 0)
        {
            PrepareSegments(frame);
            PaintSegments(frame);
        }
        float sx = frame.ImageWidth > 0 ? (float)Width / frame.ImageWidth : 1f;
        float sy = frame.ImageHeight > 0 ? (float)Height / frame.ImageHeight : 1f;
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            if (s.IsThing && s.TrackId > 0)
            {
                _trails.Add(s.TrackId, s.CentroidX * sx, s.CentroidY * sy);
            }
        }
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            if (s.IsThing && s.TrackId > 0)
            {
                int n = _trails.CopyTrail(s.TrackId, _trailX, _trailY);
                int rgb = _colors.ColorOf(s);
                for (int i = 1; i < n; i++)
                {
                    DrawLine(_trailX[i - 1], _trailY[i - 1], _trailX[i], _trailY[i], rgb);
                }
            }
        }
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            if (s.IsThing)
            {
                DrawLabel(s, sx, sy);
            }
        }
        DrawHeadsUp();
    }

    private void CopyCamera(ReadOnlySpan<byte> camera, int cameraWidth, int cameraHeight)
    {
        if (camera.IsEmpty)
        {
            _canvas.AsSpan().Fill(OverlayStyle.EmptyBackground);
            return;
        }
        if (cameraWidth < Width || cameraHeight < Height || camera.Length < cameraWidth * cameraHeight * 3)
        {
            throw new ArgumentException($"the camera image ({cameraWidth}x{cameraHeight}, {camera.Length} bytes) is smaller than the {Width}x{Height} canvas", nameof(camera));
        }
        int row = Width * 3;
        for (int y = 0; y < Height; y++)
        {
            camera.Slice(y * cameraWidth * 3, row).CopyTo(_canvas.AsSpan(y * row, row));
        }
    }

    /// <summary>Per segment id: how it is drawn and in which colour; per canvas pixel: the map cell it shows (protocol §3: cell u covers x ∈ [u·w/map_w, (u+1)·w/map_w)).</summary>
    private void PrepareSegments(PanopticFrame frame)
    {
        int maxId = 0;
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            maxId = Math.Max(maxId, s.Id);
        }
        if (_kind.Length <= maxId)
        {
            int size = Math.Max(maxId + 1, _kind.Length * 2);
            _kind = new byte[size];
            _color = new int[size];
        }
        Array.Clear(_kind, 0, maxId + 1);
        _maxId = maxId;
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            _kind[s.Id] = !s.IsThing ? KindStuff : s.TrackId > 0 ? KindTracked : KindUntracked;
            _color[s.Id] = _colors.ColorOf(s);
        }
        _kind[0] = KindNone; // void
        if (frame.MapWidth != _mapWidth || frame.MapHeight != _mapHeight)
        {
            (_mapWidth, _mapHeight) = (frame.MapWidth, frame.MapHeight);
            for (int x = 0; x < Width; x++)
            {
                _mapColumn[x] = Math.Min(_mapWidth - 1, (int)(((2L * x) + 1) * _mapWidth / (2L * Width)));
            }
            for (int y = 0; y < Height; y++)
            {
                _rowOf[y] = Math.Min(_mapHeight - 1, (int)(((2L * y) + 1) * _mapHeight / (2L * Height)));
            }
        }
    }

    /// <summary>
    /// One pass over the canvas: stuff blended, tracked things filled, things' outlines opaque. A thing pixel is on the
    /// outline when a pixel within <see cref="OverlayStyle.OutlineWidth"/> to the left, right, above or below shows another
    /// segment; the ids of the rows around the current one are kept in a small ring so each is looked up once. Runs of
    /// one id (a map cell spans several canvas pixels, a segment many cells) reuse the id's colour, premultiplied by its
    /// alpha; pixels are addressed by reference, without bounds checks (this loop is most of the renderer's time).
    /// </summary>
    private void PaintSegments(PanopticFrame frame)
    {
        const int R = OverlayStyle.OutlineWidth;
        ReadOnlySpan<ushort> map = frame.Map;
        int maxId = _maxId; // ids above it are in no segment of this frame: drawn as void
        for (int dy = -R; dy < R; dy++)
        {
            FillRow(map, dy);
        }
        ref byte canvas = ref MemoryMarshal.GetArrayDataReference(_canvas);
        for (int y = 0; y < Height; y++)
        {
            FillRow(map, y + R);
            ushort[] row = Row(y);
            ref ushort ids = ref MemoryMarshal.GetArrayDataReference(row);
            ref byte pixel = ref Unsafe.Add(ref canvas, y * Width * 3);
            int lastId = -1, rgb = 0, keep = 256, preB = 0, preG = 0, preR = 0;
            byte kind = KindNone;
            for (int x = 0; x < Width; x++, pixel = ref Unsafe.Add(ref pixel, 3))
            {
                int id = Unsafe.Add(ref ids, x);
                if (id != lastId)
                {
                    lastId = id;
                    kind = id <= maxId ? _kind[id] : KindNone;
                    rgb = _color[Math.Min(id, maxId)];
                    int alpha = kind == KindStuff ? OverlayStyle.StuffAlpha256 : kind == KindTracked ? OverlayStyle.ThingAlpha256 : 0;
                    keep = 256 - alpha;
                    preB = ((rgb & 0xFF) * alpha) + 128;
                    preG = (((rgb >> 8) & 0xFF) * alpha) + 128;
                    preR = (((rgb >> 16) & 0xFF) * alpha) + 128;
                }
                if (kind == KindNone)
                {
                    continue;
                }
                if (kind != KindStuff && OnOutline(y, x, id))
                {
                    pixel = (byte)rgb;
                    Unsafe.Add(ref pixel, 1) = (byte)(rgb >> 8);
                    Unsafe.Add(ref pixel, 2) = (byte)(rgb >> 16);
                }
                else if (keep != 256)
                {
                    pixel = (byte)(((pixel * keep) + preB) >> 8);
                    Unsafe.Add(ref pixel, 1) = (byte)(((Unsafe.Add(ref pixel, 1) * keep) + preG) >> 8);
                    Unsafe.Add(ref pixel, 2) = (byte)(((Unsafe.Add(ref pixel, 2) * keep) + preR) >> 8);
                }
            }
        }
    }

    private bool OnOutline(int y, int x, int id)
    {
        const int R = OverlayStyle.OutlineWidth;
        ushort[] row = Row(y);
        for (int d = 1; d <= R; d++)
        {
            if ((x - d >= 0 && row[x - d] != id) || (x + d < Width && row[x + d] != id)
                || (y - d >= 0 && Row(y - d)[x] != id) || (y + d < Height && Row(y + d)[x] != id))
            {
                return true;
            }
        }
        return false;
    }

    private ushort[] Row(int y) => _rows[(y + _rows.Length) % _rows.Length];

    /// <summary>Looks up canvas row <paramref name="y"/>'s segment ids into the ring (rows outside the canvas are skipped).</summary>
    private void FillRow(ReadOnlySpan<ushort> map, int y)
    {
        if ((uint)y >= (uint)Height)
        {
            return;
        }
        ReadOnlySpan<ushort> mapRow = map.Slice(_rowOf[y] * _mapWidth, _mapWidth);
        ushort[] row = Row(y);
        for (int x = 0; x < Width; x++)
        {
            row[x] = mapRow[_mapColumn[x]];
        }
    }

    private static void Blend(Span<byte> pixels, int p, int rgb, int alpha256)
    {
        int keep = 256 - alpha256;
        pixels[p] = (byte)(((pixels[p] * keep) + ((rgb & 0xFF) * alpha256) + 128) >> 8);
        pixels[p + 1] = (byte)(((pixels[p + 1] * keep) + (((rgb >> 8) & 0xFF) * alpha256) + 128) >> 8);
        pixels[p + 2] = (byte)(((pixels[p + 2] * keep) + (((rgb >> 16) & 0xFF) * alpha256) + 128) >> 8);
    }

    /// <summary>A <see cref="OverlayStyle.TrailWidth"/>-pixel line (Bresenham, each step a square of that side).</summary>
    private void DrawLine(float x0f, float y0f, float x1f, float y1f, int rgb)
    {
        int x0 = (int)MathF.Round(x0f), y0 = (int)MathF.Round(y0f), x1 = (int)MathF.Round(x1f), y1 = (int)MathF.Round(y1f);
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int stepX = x0 < x1 ? 1 : -1, stepY = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        while (true)
        {
            FillRect(x0 - (OverlayStyle.TrailWidth / 2), y0 - (OverlayStyle.TrailWidth / 2), OverlayStyle.TrailWidth, OverlayStyle.TrailWidth, rgb, 256);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }
            int e2 = 2 * error;
            if (e2 >= dy)
            {
                error += dy;
                x0 += stepX;
            }
            if (e2 <= dx)
            {
                error += dx;
                y0 += stepY;
            }
        }
    }

    /// <summary>"{category} #{track} {age}" (untracked: "{category}") in white on the segment's colour, at the top-left of its box (above it when there is room).</summary>
    private void DrawLabel(in PanopticSegment s, float sx, float sy)
    {
        Span<char> text = _text;
        int n = 0;
        if (_categories.TryGet(s.CategoryId, out Category category))
        {
            n = Append(text, n, category.Name);
        }
        else
        {
            s.CategoryId.TryFormat(text, out n, default, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (s.TrackId > 0)
        {
            n = Append(text, n, " #");
            n += Format(text[n..], s.TrackId);
            n = Append(text, n, " ");
            n += Format(text[n..], s.AgeFrames);
        }
        ReadOnlySpan<char> label = text[..n];
        int pad = OverlayStyle.TextPadding;
        int boxWidth = _glyphs.Measure(label) + (2 * pad);
        int boxHeight = _glyphs.Height + (2 * pad);
        int x = Math.Clamp((int)MathF.Round(s.BboxX * sx), 0, Math.Max(0, Width - boxWidth));
        int top = (int)MathF.Round(s.BboxY * sy);
        int y = top - boxHeight >= 0 ? top - boxHeight : Math.Clamp(top, 0, Math.Max(0, Height - boxHeight));
        FillRect(x, y, boxWidth, boxHeight, _colors.ColorOf(s), 256);
        _glyphs.Draw(_canvas, Width, Height, x + pad, y + pad, label, 0xFFFFFF);
    }

    /// <summary>"{stream}  {fps:0.0} fps  {latency} ms  dropped {n}" in white on translucent black at the top-left corner.</summary>
    private void DrawHeadsUp()
    {
        Span<char> text = _text;
        int n = Append(text, 0, _stream);
        n = Append(text, n, "  ");
        Meter.FramesPerSecond.TryFormat(text[n..], out int w, "0.0", System.Globalization.CultureInfo.InvariantCulture);
        n += w;
        n = Append(text, n, " fps  ");
        n += Format(text[n..], (long)Math.Round(Meter.LatencyMs));
        n = Append(text, n, " ms  dropped ");
        n += Format(text[n..], Meter.Dropped);
        ReadOnlySpan<char> line = text[..n];
        int pad = OverlayStyle.TextPadding;
        FillRect(0, 0, _glyphs.Measure(line) + (2 * pad), _glyphs.Height + (2 * pad), 0x000000, OverlayStyle.HudBoxAlpha256);
        _glyphs.Draw(_canvas, Width, Height, pad, pad, line, 0xFFFFFF);
    }

    /// <summary>Fills a rectangle (clipped to the canvas) with <paramref name="rgb"/> at <paramref name="alpha256"/>/256.</summary>
    private void FillRect(int x, int y, int width, int height, int rgb, int alpha256)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y), x1 = Math.Min(Width, x + width), y1 = Math.Min(Height, y + height);
        for (int cy = y0; cy < y1; cy++)
        {
            Span<byte> pixels = _canvas.AsSpan(cy * Width * 3, Width * 3);
            for (int cx = x0; cx < x1; cx++)
            {
                int p = cx * 3;
                if (alpha256 >= 256)
                {
                    pixels[p] = (byte)rgb;
                    pixels[p + 1] = (byte)(rgb >> 8);
                    pixels[p + 2] = (byte)(rgb >> 16);
                }
                else
                {
                    Blend(pixels, p, rgb, alpha256);
                }
            }
        }
    }

    private static int Append(Span<char> text, int at, string value)
    {
        int n = Math.Min(value.Length, text.Length - at);
        value.AsSpan(0, n).CopyTo(text[at..]);
        return at + n;
    }

    private static int Format(Span<char> text, long value)
    {
        bool ok = value.TryFormat(text, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        Debug.Assert(ok, "the text buffer holds any label");
        return written;
    }
}
