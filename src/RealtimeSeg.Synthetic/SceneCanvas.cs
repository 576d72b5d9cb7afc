using System.Diagnostics;
using OpenCvSharp;
using OpenCvSharp.Internal;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// Fills convex polygons with OpenCV into a BGR image and, with the same call arguments, into a 16-bit id map, so
/// both receive exactly the same pixels (no anti-aliasing: OpenCV's rasteriser decides coverage from the vertices
/// alone, whatever the pixel type). Either target may be absent. Polygons are clipped in floating point to just
/// outside the image before they reach OpenCV, whose fixed-point drawing overflows beyond ±32k pixels, and vertices
/// keep 4 fractional bits so motion is smooth. Draws through OpenCvSharp's native entry points on native
/// <c>cv::Mat</c> headers: no managed object per frame or per polygon.
/// </summary>
internal sealed class SceneCanvas : IDisposable
{
    public const int MaxVertices = 24;
    private const int Shift = 4;
    private const float FixedOne = 1 << Shift;
    private const int LineType = (int)LineTypes.Link8;

    private readonly float[] _x = new float[MaxVertices * 2];
    private readonly float[] _y = new float[MaxVertices * 2];
    private readonly float[] _clipX = new float[MaxVertices * 2];
    private readonly float[] _clipY = new float[MaxVertices * 2];
    private readonly Point[] _points = new Point[MaxVertices * 2];
    private int _count;

    private IntPtr _colorMat;
    private IntPtr _colorData;
    private int _colorStride;
    private IntPtr _idMat;
    private IntPtr _idData;
    private bool _disposed;

    public SceneCanvas(int width, int height)
    {
        Debug.Assert(width > 0 && height > 0);
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }
    public bool DrawsColor => _colorData != IntPtr.Zero;
    public bool DrawsIds => _idData != IntPtr.Zero;

    /// <summary>Pixel bounds (inclusive) of what was filled since <see cref="ResetBounds"/>; empty when MinX &gt; MaxX.</summary>
    public int BoundsMinX { get; private set; }
    public int BoundsMinY { get; private set; }
    public int BoundsMaxX { get; private set; }
    public int BoundsMaxY { get; private set; }

    /// <summary>
    /// Points the canvas at this frame's targets: a BGR image (<paramref name="bgr"/>, rows <paramref name="stride"/>
    /// bytes apart) and a 16-bit map with rows of <see cref="Width"/> values; either may be <see cref="IntPtr.Zero"/>.
    /// Headers are rebuilt only when a target moves.
    /// </summary>
    public void Begin(IntPtr bgr, int stride, IntPtr ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (bgr != _colorData || stride != _colorStride)
        {
            ReleaseMat(ref _colorMat);
            _colorData = bgr;
            _colorStride = stride;
            if (bgr != IntPtr.Zero)
            {
                _colorMat = NewMat(MatType.CV_8UC3, bgr, stride);
            }
        }
        if (ids != _idData)
        {
            ReleaseMat(ref _idMat);
            _idData = ids;
            if (ids != IntPtr.Zero)
            {
                _idMat = NewMat(MatType.CV_16UC1, ids, Width * sizeof(ushort));
            }
        }
        _count = 0;
    }

    public void ResetBounds()
    {
        BoundsMinX = int.MaxValue;
        BoundsMinY = int.MaxValue;
        BoundsMaxX = int.MinValue;
        BoundsMaxY = int.MinValue;
    }

    public void Add(float x, float y)
    {
        Debug.Assert(_count < MaxVertices, "polygon has too many vertices");
        Debug.Assert(float.IsFinite(x) && float.IsFinite(y), "vertices must be finite");
        _x[_count] = x;
        _y[_count] = y;
        _count++;
    }

    /// <summary>Drops the vertices added so far without drawing.</summary>
    public void Discard() => _count = 0;

    /// <summary>
    /// Fills the convex polygon of the vertices added since the last fill: <paramref name="color"/> into the image
    /// and <paramref name="id"/> into the map. False (nothing drawn) when it lies wholly outside the image.
    /// </summary>
    public bool Fill(in Scalar color, ushort id)
    {
        int n = Clip();
        _count = 0;
        if (n < 3)
        {
            return false;
        }
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < n; i++)
        {
            float x = _x[i];
            float y = _y[i];
            _points[i] = new Point((int)MathF.Round(x * FixedOne), (int)MathF.Round(y * FixedOne));
            minX = MathF.Min(minX, x);
            maxX = MathF.Max(maxX, x);
            minY = MathF.Min(minY, y);
            maxY = MathF.Max(maxY, y);
        }
        if (_colorMat != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.imgproc_fillConvexPoly_Mat(_colorMat, _points, n, color, LineType, Shift));
        }
        if (_idMat != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.imgproc_fillConvexPoly_Mat(_idMat, _points, n, new Scalar(id), LineType, Shift));
        }
        // One pixel of margin: OpenCV's outline rounding may reach a pixel past the vertices.
        BoundsMinX = Math.Min(BoundsMinX, Math.Max(0, (int)MathF.Floor(minX) - 1));
        BoundsMinY = Math.Min(BoundsMinY, Math.Max(0, (int)MathF.Floor(minY) - 1));
        BoundsMaxX = Math.Max(BoundsMaxX, Math.Min(Width - 1, (int)MathF.Ceiling(maxX) + 1));
        BoundsMaxY = Math.Max(BoundsMaxY, Math.Min(Height - 1, (int)MathF.Ceiling(maxY) + 1));
        return true;
    }

    /// <summary>
    /// Sutherland–Hodgman against [-1, Width] × [-1, Height]: every pixel centre keeps its coverage, and OpenCV never
    /// sees a coordinate it cannot represent. Leaves the result in <see cref="_x"/>/<see cref="_y"/>.
    /// </summary>
    private int Clip()
    {
        int n = _count;
        n = ClipEdge(_x, _y, n, _clipX, _clipY, axis: 0, bound: -1f, keepAbove: true);
        n = ClipEdge(_clipX, _clipY, n, _x, _y, axis: 0, bound: Width, keepAbove: false);
        n = ClipEdge(_x, _y, n, _clipX, _clipY, axis: 1, bound: -1f, keepAbove: true);
        n = ClipEdge(_clipX, _clipY, n, _x, _y, axis: 1, bound: Height, keepAbove: false);
        return n;
    }

    private static int ClipEdge(float[] inX, float[] inY, int n, float[] outX, float[] outY, int axis, float bound, bool keepAbove)
    {
        if (n == 0)
        {
            return 0;
        }
        int m = 0;
        float px = inX[n - 1], py = inY[n - 1];
        bool pIn = Inside(px, py, axis, bound, keepAbove);
        for (int i = 0; i < n; i++)
        {
            float cx = inX[i], cy = inY[i];
            bool cIn = Inside(cx, cy, axis, bound, keepAbove);
            if (cIn != pIn)
            {
                float t = axis == 0 ? (bound - px) / (cx - px) : (bound - py) / (cy - py);
                outX[m] = axis == 0 ? bound : px + (t * (cx - px));
                outY[m] = axis == 0 ? py + (t * (cy - py)) : bound;
                m++;
            }
            if (cIn)
            {
                outX[m] = cx;
                outY[m] = cy;
                m++;
            }
            px = cx;
            py = cy;
            pIn = cIn;
        }
        Debug.Assert(m <= outX.Length);
        return m;
    }

    private static bool Inside(float x, float y, int axis, float bound, bool keepAbove)
    {
        float v = axis == 0 ? x : y;
        return keepAbove ? v >= bound : v <= bound;
    }

    private IntPtr NewMat(MatType type, IntPtr data, int step)
    {
        NativeMethods.HandleException(NativeMethods.core_Mat_new8(Height, Width, type, data, (IntPtr)step, out IntPtr mat));
        return mat;
    }

    private static void ReleaseMat(ref IntPtr mat)
    {
        if (mat != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(mat));
            mat = IntPtr.Zero;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        ReleaseMat(ref _colorMat);
        ReleaseMat(ref _idMat);
        _colorData = IntPtr.Zero;
        _idData = IntPtr.Zero;
    }
}
