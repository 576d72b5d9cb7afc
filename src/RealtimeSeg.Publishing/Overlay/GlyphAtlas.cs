using OpenCvSharp;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// OpenCV's Hershey-simplex glyphs of printable ASCII, rasterized once (anti-aliased) into coverage masks, so that
/// drawing a label per object per frame allocates nothing: <c>Cv2.PutText</c> would need a managed string and wrapper
/// objects per call. A character outside ASCII is drawn as <c>?</c>. Immutable after construction; thread-safe.
/// </summary>
internal sealed class GlyphAtlas
{
    private const char First = ' ', Last = '~';

    /// <summary>Columns of margin on each side of a glyph's advance: anti-aliasing reaches a little past it.</summary>
    private const int Margin = 1;

    private readonly byte[][] _masks = new byte[Last - First + 1][];
    private readonly int[] _advances = new int[Last - First + 1];

    public GlyphAtlas(double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        Size cap = Cv2.GetTextSize("Hg", HersheyFonts.HersheySimplex, scale, 1, out int baseline);
        Ascent = Cv2.GetTextSize("H", HersheyFonts.HersheySimplex, scale, 1, out _).Height + 1;
        Height = Math.Max(cap.Height, Ascent) + baseline + 1;
        for (char c = First; c <= Last; c++)
        {
            string glyph = c.ToString();
            int advance = Math.Max(1, Cv2.GetTextSize(glyph, HersheyFonts.HersheySimplex, scale, 1, out _).Width);
            int width = advance + (2 * Margin);
            using var mat = new Mat(Height, width, MatType.CV_8UC1, Scalar.All(0));
            Cv2.PutText(mat, glyph, new Point(Margin, Ascent), HersheyFonts.HersheySimplex, scale, Scalar.All(255), 1, LineTypes.AntiAlias);
            byte[] mask = new byte[Height * width];
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    mask[(y * width) + x] = mat.At<byte>(y, x);
                }
            }
            _masks[c - First] = mask;
            _advances[c - First] = advance;
        }
    }

    /// <summary>Height of a line of text, pixels (ascent + descent).</summary>
    public int Height { get; }

    /// <summary>From a line's top to its baseline, pixels.</summary>
    public int Ascent { get; }

    /// <summary>Width of <paramref name="text"/> when drawn, pixels.</summary>
    public int Measure(ReadOnlySpan<char> text)
    {
        int width = 0;
        foreach (char c in text)
        {
            width += _advances[Index(c)];
        }
        return width;
    }

    /// <summary>
    /// Draws <paramref name="text"/> in <paramref name="rgb"/> into the packed BGR <paramref name="canvas"/>
    /// (<paramref name="width"/> × <paramref name="height"/>), its line's top-left corner at (<paramref name="x"/>,
    /// <paramref name="y"/>); what falls outside the canvas is clipped.
    /// </summary>
    public void Draw(Span<byte> canvas, int width, int height, int x, int y, ReadOnlySpan<char> text, int rgb)
    {
        int b = rgb & 0xFF, g = (rgb >> 8) & 0xFF, r = (rgb >> 16) & 0xFF;
        int pen = x;
        foreach (char c in text)
        {
            int i = Index(c);
            byte[] mask = _masks[i];
            int w = _advances[i] + (2 * Margin);
            int left = pen - Margin;
            for (int gy = 0; gy < Height; gy++)
            {
                int cy = y + gy;
                if ((uint)cy >= (uint)height)
                {
                    continue;
                }
                int maskRow = gy * w;
                int canvasRow = cy * width;
                for (int gx = 0; gx < w; gx++)
                {
                    int a = mask[maskRow + gx];
                    int cx = left + gx;
                    if (a == 0 || (uint)cx >= (uint)width)
                    {
                        continue;
                    }
                    a += a >> 7; // 0…255 → 0…256
                    int p = (canvasRow + cx) * 3;
                    canvas[p] = (byte)(((canvas[p] * (256 - a)) + (b * a)) >> 8);
                    canvas[p + 1] = (byte)(((canvas[p + 1] * (256 - a)) + (g * a)) >> 8);
                    canvas[p + 2] = (byte)(((canvas[p + 2] * (256 - a)) + (r * a)) >> 8);
                }
            }
            pen += _advances[i];
        }
    }

    private static int Index(char c) => c is >= First and <= Last ? c - First : '?' - First;
}
