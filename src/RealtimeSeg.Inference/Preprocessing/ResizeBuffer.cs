using OpenCvSharp;
using OpenCvSharp.Internal;

namespace RealtimeSeg.Inference.Preprocessing;

/// <summary>
/// A BGR image resized with OpenCV's bilinear <c>resize</c> (what Ultralytics uses): a letterbox's content where
/// <see cref="BilinearPlanes"/> cannot take it, and the pictures for images and overlays. The destination
/// <see cref="Mat"/> and its native <c>_OutputArray</c> are made once per content size.
/// <para>Why the native entry points: <c>Cv2.Resize</c> wraps both arguments in new managed
/// <c>InputArray</c>/<c>OutputArray</c> objects (with finalizers) on every call, and the source memory changes with
/// every frame slot. Here the source gets a bare native <c>cv::Mat</c> header for the duration of the call — a
/// small native allocation, no managed one — so the steady state allocates nothing on the GC heap.</para>
/// Not thread-safe: one per <see cref="InferenceSlot"/>.
/// </summary>
public sealed class ResizeBuffer : IDisposable
{
    private Mat? _mat;
    private IntPtr _outputArray;

    public int Width { get; private set; }
    public int Height { get; private set; }
    public IntPtr Data { get; private set; }
    public int Stride { get; private set; }

    public void Resize(IntPtr src, int width, int height, int stride, int targetWidth, int targetHeight)
    {
        if (_mat is null || targetWidth != Width || targetHeight != Height)
        {
            Allocate(targetWidth, targetHeight);
        }
        NativeMethods.HandleException(NativeMethods.core_Mat_new8(height, width, MatType.CV_8UC3, src, stride, out IntPtr header));
        try
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(header, out IntPtr input));
            try
            {
                NativeMethods.HandleException(NativeMethods.imgproc_resize(
                    input, _outputArray, new Size(targetWidth, targetHeight), 0, 0, (int)InterpolationFlags.Linear));
            }
            finally
            {
                NativeMethods.HandleException(NativeMethods.core_InputArray_delete(input));
            }
        }
        finally
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(header));
        }
        // resize() reallocates its destination only when size or type differ, which Allocate rules out.
        System.Diagnostics.Debug.Assert(_mat!.Data == Data, "OpenCV must write into the preallocated buffer");
    }

    /// <summary>This buffer sized <paramref name="width"/> × <paramref name="height"/> as a place for someone else to write the picture into.</summary>
    public PictureTarget Target(int width, int height)
    {
        if (_mat is null || width != Width || height != Height)
        {
            Allocate(width, height);
        }
        return new PictureTarget(Data, Width, Height, Stride);
    }

    private void Allocate(int width, int height)
    {
        Release();
        _mat = new Mat(height, width, MatType.CV_8UC3);
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(_mat.CvPtr, out _outputArray));
        Width = width;
        Height = height;
        Data = _mat.Data;
        Stride = checked((int)_mat.Step());
    }

    private void Release()
    {
        if (_outputArray != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_outputArray));
            _outputArray = IntPtr.Zero;
        }
        _mat?.Dispose();
        _mat = null;
        Width = Height = Stride = 0;
        Data = IntPtr.Zero;
    }

    public void Dispose() => Release();
}
