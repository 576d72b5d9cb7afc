using OpenCvSharp;
using OpenCvSharp.Internal;
using OpenCvSharp.Internal.Vectors;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Motion;

/// <summary>
/// One stream's camera-motion estimate (BoT-SORT's sparse-flow GMC): corners of the previous grey frame
/// (<c>goodFeaturesToTrack</c>), followed into the current one by pyramidal Lucas–Kanade (<c>calcOpticalFlowPyrLK</c>), a
/// partial affine — rotation, uniform scale, shift — fitted to the pairs that were found with RANSAC
/// (<c>estimateAffinePartial2D</c>), and scaled back to source pixels. Unlike BoT-SORT, corners are not detected on every
/// frame (detection cost more than the rest together: 1 ms of CPU at 320 × 180): the fit's inliers are followed on into
/// the next frame, as a KLT tracker does, and fresh corners are detected when fewer than <see cref="MinTrackedPoints"/>
/// remain or every <see cref="RedetectEvery"/> frames. The tracker applies it
/// (<see cref="ByteTracker.ApplyCameraMotion"/>); the tracker itself never sees a pixel (house rule 6).
/// <para>Gives <see cref="CameraMotion.Identity"/> on a stream's first frame, after a change of frame size, and when
/// too few corners or inliers (<see cref="MinInliers"/>) support a fit — a blank or uniform picture — rather than a guess.
/// Every buffer is made once (point lists at their largest size, pinned); OpenCV is called through its native entry
/// points as in <see cref="Inference.Preprocessing.ResizeBuffer"/>, so an estimate allocates nothing managed. Not
/// thread-safe: one per stream, driven by the tracking stage.</para>
/// </summary>
internal sealed class SparseFlowCameraMotion : IDisposable
{
    /// <summary>
    /// Corners detected at most (BoT-SORT: 1000 on a frame 3× the size). The flow's cost grows with them and with the
    /// window: 100 corners and a 15-px window cost 1.2 ms of CPU per frame, 64 and 11 px 0.6 ms (docs/benchmarks.md).
    /// </summary>
    public const int MaxCorners = 64;

    /// <summary>Points are followed from frame to frame; fresh corners are detected when fewer remain than this…</summary>
    public const int MinTrackedPoints = 32;

    /// <summary>…or after this many frames, so new background comes in as the camera moves.</summary>
    public const int RedetectEvery = 10;

    /// <summary>Fewer inliers than this and the estimate is the identity.</summary>
    public const int MinInliers = 12;

    private const double QualityLevel = 0.05;
    private const double MinDistance = 8;
    private const int BlockSize = 3;
    private const int PyramidLevels = 2;
    private const int WindowSize = 11;
    private const int MaxIterations = 10;
    private const double RansacThreshold = 1.0;

    private readonly Mat _prev = new();
    private readonly VectorOfPoint2f _corners = new();
    private readonly Mat _next = new();
    private readonly Mat _status = new();
    private readonly Mat _error = new();
    private readonly Mat _inliers = new();
    private readonly IntPtr _prevInput;
    private readonly IntPtr _nextOutput;
    private readonly IntPtr _statusOutput;
    private readonly IntPtr _errorOutput;
    private readonly IntPtr _inliersOutput;
    private readonly float[] _from = GC.AllocateArray<float>(MaxCorners * 2, pinned: true);
    private readonly float[] _to = GC.AllocateArray<float>(MaxCorners * 2, pinned: true);
    private int _width;
    private int _height;
    private bool _hasPrevious;
    private int _points;
    private int _sinceDetection;
    private bool _disposed;

    public SparseFlowCameraMotion()
    {
        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(_prev.CvPtr, out _prevInput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(_next.CvPtr, out _nextOutput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(_status.CvPtr, out _statusOutput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(_error.CvPtr, out _errorOutput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(_inliers.CvPtr, out _inliersOutput));
    }

    /// <summary>Estimates that did not find enough support and gave the identity (since construction).</summary>
    public long Unsupported { get; private set; }

    /// <summary>
    /// The camera's motion from the previous frame given here to <paramref name="frame"/>, in source pixels; then
    /// <paramref name="frame"/> becomes the previous one.
    /// </summary>
    public CameraMotion Estimate(GreyFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(frame);
        Mat image = frame.Image ?? throw new ArgumentException("the grey frame was never filled", nameof(frame));
        CameraMotion motion = CameraMotion.Identity;
        if (_hasPrevious && frame.Width == _width && frame.Height == _height)
        {
            motion = EstimateFrom(image, frame.Scale);
        }
        else
        {
            _points = 0;
        }
        KeepAsPrevious(image, frame.Width, frame.Height);
        _hasPrevious = true;
        return motion;
    }

    /// <summary>Copies the grey frame into the previous-frame buffer (made once per size; both continuous, a row apart by their steps).</summary>
    private unsafe void KeepAsPrevious(Mat image, int width, int height)
    {
        if (width != _width || height != _height)
        {
            _prev.Create(height, width, MatType.CV_8UC1);
            (_width, _height) = (width, height);
        }
        long srcStep = image.Step(), dstStep = _prev.Step();
        byte* src = (byte*)image.Data, dst = (byte*)_prev.Data;
        for (int y = 0; y < height; y++)
        {
            Buffer.MemoryCopy(src + (y * srcStep), dst + (y * dstStep), dstStep, width);
        }
    }

    /// <summary>Forgets the previous frame (a stream that restarts).</summary>
    public void Reset()
    {
        _hasPrevious = false;
        _points = 0;
    }

    private unsafe CameraMotion EstimateFrom(Mat current, float scale)
    {
        if (_points < MinTrackedPoints || _sinceDetection >= RedetectEvery)
        {
            Detect();
        }
        _sinceDetection++;
        int found = _points;
        if (found < MinInliers)
        {
            Unsupported++;
            return CameraMotion.Identity;
        }
        IntPtr pointsMat = IntPtr.Zero, pointsInput = IntPtr.Zero, currentInput = IntPtr.Zero;
        try
        {
            fixed (float* points = _from)
            {
                NativeMethods.HandleException(NativeMethods.core_Mat_new8(found, 1, MatType.CV_32FC2, (IntPtr)points, 8, out pointsMat));
                NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(pointsMat, out pointsInput));
                NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(current.CvPtr, out currentInput));
                NativeMethods.HandleException(NativeMethods.video_calcOpticalFlowPyrLK_InputArray(
                    _prevInput, currentInput, pointsInput, _nextOutput, _statusOutput, _errorOutput, new Size(WindowSize, WindowSize), PyramidLevels,
                    new TermCriteria(CriteriaTypes.Count | CriteriaTypes.Eps, MaxIterations, 0.03), 0, 1e-4));
            }
        }
        finally
        {
            DeleteInput(currentInput);
            DeleteInput(pointsInput);
            DeleteMat(pointsMat);
        }
        var next = new ReadOnlySpan<float>((void*)_next.Data, found * 2);
        var status = new ReadOnlySpan<byte>((void*)_status.Data, found);
        int pairs = 0;
        for (int i = 0; i < found; i++)
        {
            if (status[i] != 0)
            {
                _from[2 * pairs] = _from[2 * i];
                _from[(2 * pairs) + 1] = _from[(2 * i) + 1];
                _to[2 * pairs] = next[2 * i];
                _to[(2 * pairs) + 1] = next[(2 * i) + 1];
                pairs++;
            }
        }
        _points = 0;
        if (pairs < MinInliers)
        {
            Unsupported++;
            return CameraMotion.Identity;
        }
        return Fit(pairs, scale);
    }

    /// <summary>Fresh corners of the previous frame into the point list (<c>goodFeaturesToTrack</c>, the costly step, so not every frame).</summary>
    private unsafe void Detect()
    {
        // The corners land in a native std::vector reused across frames (the wrapper's entry point takes one).
        NativeMethods.HandleException(NativeMethods.imgproc_goodFeaturesToTrack(
            _prevInput, _corners.CvPtr, MaxCorners, QualityLevel, MinDistance, IntPtr.Zero, BlockSize, 0, 0.04));
        int found = Math.Min(_corners.Size, MaxCorners);
        if (found > 0)
        {
            // ElemPtr of an empty vector throws inside the native library (its at(0)), which nothing can catch.
            new ReadOnlySpan<float>((void*)_corners.ElemPtr, found * 2).CopyTo(_from);
        }
        _points = found;
        _sinceDetection = 0;
    }

    /// <summary>
    /// RANSAC partial affine over the first <paramref name="pairs"/> point pairs, back in source pixels. The pairs' ends
    /// that fit it become the points followed into the next frame (background corners, not the moving objects').
    /// </summary>
    private unsafe CameraMotion Fit(int pairs, float scale)
    {
        IntPtr fromMat = IntPtr.Zero, toMat = IntPtr.Zero, fromInput = IntPtr.Zero, toInput = IntPtr.Zero, result = IntPtr.Zero;
        try
        {
            fixed (float* from = _from, to = _to)
            {
                NativeMethods.HandleException(NativeMethods.core_Mat_new8(pairs, 1, MatType.CV_32FC2, (IntPtr)from, 8, out fromMat));
                NativeMethods.HandleException(NativeMethods.core_Mat_new8(pairs, 1, MatType.CV_32FC2, (IntPtr)to, 8, out toMat));
                NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(fromMat, out fromInput));
                NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(toMat, out toInput));
                NativeMethods.HandleException(NativeMethods.calib3d_estimateAffinePartial2D(
                    fromInput, toInput, _inliersOutput, (int)RobustEstimationAlgorithms.RANSAC, RansacThreshold, 2000, 0.99, 10, out result));
            }
            NativeMethods.HandleException(NativeMethods.core_Mat_empty(result, out int empty));
            if (empty != 0 || KeepInliers(pairs) < MinInliers)
            {
                _points = 0;
                Unsupported++;
                return CameraMotion.Identity;
            }
            NativeMethods.HandleException(NativeMethods.core_Mat_data(result, out byte* data));
            var m = new ReadOnlySpan<double>(data, 6);
            // Points in the grey frame are source points × scale: the linear part stays, the shift divides by the scale.
            var motion = new CameraMotion((float)m[0], (float)m[1], (float)(m[2] / scale), (float)m[3], (float)m[4], (float)(m[5] / scale));
            return motion.IsFinite ? motion : CameraMotion.Identity;
        }
        finally
        {
            // Direct calls, not a delegate per handle: nothing managed is allocated per frame.
            DeleteMat(result);
            DeleteInput(fromInput);
            DeleteInput(toInput);
            DeleteMat(fromMat);
            DeleteMat(toMat);
        }
    }

    /// <summary>Moves the inliers' current positions to the front of the point list (followed next frame); returns how many.</summary>
    private unsafe int KeepInliers(int pairs)
    {
        if (_inliers.Rows * _inliers.Cols < pairs)
        {
            return 0;
        }
        var flags = new ReadOnlySpan<byte>((void*)_inliers.Data, pairs);
        int n = 0;
        for (int i = 0; i < pairs; i++)
        {
            if (flags[i] != 0)
            {
                _from[2 * n] = _to[2 * i];
                _from[(2 * n) + 1] = _to[(2 * i) + 1];
                n++;
            }
        }
        _points = n;
        return n;
    }

    private static void DeleteMat(IntPtr mat)
    {
        if (mat != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(mat));
        }
    }

    private static void DeleteInput(IntPtr input)
    {
        if (input != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_delete(input));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NativeMethods.HandleException(NativeMethods.core_InputArray_delete(_prevInput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_nextOutput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_statusOutput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_errorOutput));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_inliersOutput));
        foreach (Mat m in (ReadOnlySpan<Mat>)[_prev, _next, _status, _error, _inliers])
        {
            m.Dispose();
        }
        _corners.Dispose();
    }
}
