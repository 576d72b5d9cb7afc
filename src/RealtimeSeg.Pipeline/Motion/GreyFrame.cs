using OpenCvSharp;
using OpenCvSharp.Internal;
using RealtimeSeg.Inference.Preprocessing;

namespace RealtimeSeg.Pipeline.Motion;

/// <summary>
/// A frame shrunk to <see cref="TargetWidth"/> pixels wide and turned grey: what the camera-motion estimate
/// (<see cref="SparseFlowCameraMotion"/>) compares. Filled on the inference thread while the frame slot is still held
/// (the slot goes back before the model runs, docs/architecture.md), carried to the tracking stage in the work item.
/// One per work item; buffers made once per frame size, native entry points as in <see cref="ResizeBuffer"/>, so filling
/// allocates nothing managed.
/// </summary>
internal sealed class GreyFrame : IDisposable
{
    /// <summary>Width the frame is shrunk to: BoT-SORT works on a frame halved from 1080p; a quarter of 720p keeps the cost of flow and corners well under a millisecond.</summary>
    public const int TargetWidth = 320;

    private readonly ResizeBuffer _small = new();
    private Mat? _grey;
    private IntPtr _greyOutput;

    /// <summary>The grey image (<see cref="Width"/> × <see cref="Height"/>, 8-bit); valid once <see cref="Filled"/>.</summary>
    public Mat? Image => _grey;

    public int Width { get; private set; }
    public int Height { get; private set; }

    /// <summary>Grey pixels per source pixel (≤ 1).</summary>
    public float Scale { get; private set; }

    /// <summary>Source frame size the grey image was made from.</summary>
    public int SourceWidth { get; private set; }
    public int SourceHeight { get; private set; }

    /// <summary>Whether the work item's current frame was shrunk into it.</summary>
    public bool Filled { get; set; }

    /// <summary>Shrinks a BGR frame (<paramref name="stride"/> bytes a row) into the grey image.</summary>
    public void Fill(IntPtr bgr, int width, int height, int stride)
    {
        float scale = Math.Min(1f, TargetWidth / (float)width);
        int w = Math.Max(1, (int)MathF.Round(width * scale));
        int h = Math.Max(1, (int)MathF.Round(height * scale));
        _small.Resize(bgr, width, height, stride, w, h);
        if (_grey is null || w != Width || h != Height)
        {
            Allocate(w, h);
        }
        NativeMethods.HandleException(NativeMethods.core_Mat_new8(h, w, MatType.CV_8UC3, _small.Data, _small.Stride, out IntPtr header));
        try
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(header, out IntPtr input));
            try
            {
                NativeMethods.HandleException(NativeMethods.imgproc_cvtColor(input, _greyOutput, (int)ColorConversionCodes.BGR2GRAY, 0));
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
        Scale = w / (float)width;
        (SourceWidth, SourceHeight) = (width, height);
        Filled = true;
    }

    private void Allocate(int width, int height)
    {
        Release();
        _grey = new Mat(height, width, MatType.CV_8UC1);
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(_grey.CvPtr, out _greyOutput));
        (Width, Height) = (width, height);
    }

    private void Release()
    {
        if (_greyOutput != IntPtr.Zero)
        {
            NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_greyOutput));
            _greyOutput = IntPtr.Zero;
        }
        _grey?.Dispose();
        _grey = null;
        Width = Height = 0;
    }

    public void Dispose()
    {
        Release();
        _small.Dispose();
    }
}
