using System.Diagnostics;

namespace RealtimeSeg.Inference.Preprocessing;

/// <summary>
/// Letterboxes a BGR frame into a model input tensor: bilinear resize of the content, padding with the spec's grey,
/// order, normalisation and layout. A CHW input whose resize <see cref="BilinearPlanes"/> supports (the usual case: a
/// downscale of at most 2×) is resized and normalised in one pass; otherwise OpenCV resizes into bytes and
/// <see cref="PixelPlan"/> converts them. The padding is written only when
/// the letterbox geometry changes — content always overwrites the same region — so a steady stream only converts
/// the content. Not thread-safe: one per <see cref="InferenceSlot"/>, which owns the tensor it writes.
/// </summary>
internal sealed unsafe class LetterboxPreprocessor : IDisposable
{
    private readonly InputSpec _spec;
    private readonly PixelPlan _plan;
    private readonly ResizeBuffer _resized = new();
    private readonly BilinearPlanes _fused = new();
    private LetterboxTransform _padded;

    public LetterboxPreprocessor(InputSpec spec)
    {
        _spec = spec;
        _plan = new PixelPlan(spec);
    }

    public InputSpec Spec => _spec;

    /// <summary>Writes the frame into <paramref name="tensor"/> (<see cref="InputSpec.ElementCount"/> floats) and returns its transform.</summary>
    public LetterboxTransform Run(IntPtr bgr, int width, int height, int stride, float* tensor, int tensorLength)
    {
        Debug.Assert(tensorLength == _spec.ElementCount, "the tensor is the slot's input buffer");
        LetterboxTransform t = LetterboxTransform.Compute(_spec.Resize, width, height, _spec.Width, _spec.Height);
        if (t != _padded)
        {
            FillPadding(tensor, tensorLength);
            _padded = t;
        }

        int w = _spec.Width;
        int planeStride = w * _spec.Height;
        if (_spec.Layout == TensorLayout.Nchw && (t.ResizedWidth != width || t.ResizedHeight != height) && BilinearPlanes.Supports(width, t.ResizedWidth))
        {
            _fused.Run((byte*)bgr, width, height, stride, t.ResizedWidth, t.ResizedHeight, tensor + (t.PadY * w) + t.PadX, planeStride, w,
                _plan.SourceChannels, _plan.Scales, _plan.Biases);
            return t;
        }

        byte* src;
        int srcStride;
        if (t.ResizedWidth == width && t.ResizedHeight == height)
        {
            src = (byte*)bgr;
            srcStride = stride;
        }
        else
        {
            _resized.Resize(bgr, width, height, stride, t.ResizedWidth, t.ResizedHeight);
            src = (byte*)_resized.Data;
            srcStride = _resized.Stride;
        }

        for (int y = 0; y < t.ResizedHeight; y++)
        {
            int pixel = (t.PadY + y) * w + t.PadX;
            float* row = _spec.Layout == TensorLayout.Nchw ? tensor + pixel : tensor + pixel * 3;
            _plan.ConvertRow(src + (long)y * srcStride, t.ResizedWidth, row, planeStride);
        }
        return t;
    }

    private void FillPadding(float* tensor, int length)
    {
        var all = new Span<float>(tensor, length);
        if (_spec.Layout == TensorLayout.Nchw)
        {
            int plane = _spec.Width * _spec.Height;
            for (int k = 0; k < 3; k++)
            {
                all.Slice(k * plane, plane).Fill(_plan.PadValue(_spec.PadValue, k));
            }
        }
        else
        {
            float p0 = _plan.PadValue(_spec.PadValue, 0), p1 = _plan.PadValue(_spec.PadValue, 1), p2 = _plan.PadValue(_spec.PadValue, 2);
            for (int i = 0; i + 2 < length; i += 3)
            {
                all[i] = p0;
                all[i + 1] = p1;
                all[i + 2] = p2;
            }
        }
    }

    public void Dispose()
    {
        _resized.Dispose();
        _fused.Dispose();
    }
}
