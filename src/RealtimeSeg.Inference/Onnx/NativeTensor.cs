using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RealtimeSeg.Inference.Onnx;

/// <summary>
/// A float32 tensor in 64-byte aligned native memory with the <see cref="OrtValue"/> that lets ONNX Runtime read or
/// write it in place. Made once per slot; nothing is copied or allocated per run.
/// <para>Lifetime (as <see cref="OrtValue"/>'s): the owner disposes it exactly once, after the last run that uses
/// it; the OrtValue is released before the memory under it is freed.</para>
/// </summary>
internal sealed unsafe class NativeTensor : IDisposable
{
    private float* _data;

    public NativeTensor(long[] shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            Debug.Assert(d > 0, "shapes are resolved to concrete sizes before buffers are made");
            count = checked(count * d);
        }
        Length = checked((int)count);
        Shape = (long[])shape.Clone();
        nuint bytes = (nuint)Length * sizeof(float);
        _data = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_data, bytes);
        Value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, Shape, (IntPtr)_data, (long)bytes);
    }

    public long[] Shape { get; }
    public int Length { get; }
    public OrtValue Value { get; }

    public float* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data is null, this);
            return _data;
        }
    }

    public Span<float> Span => new(Pointer, Length);

    public void Dispose()
    {
        if (_data is null)
        {
            return;
        }
        Value.Dispose();
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}
