using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RealtimeSeg.Inference.Onnx;

/// <summary>
/// A tensor (float32 by default; uint8, int32 or int64 for class-map outputs) in 64-byte aligned native memory with the <see cref="OrtValue"/> that lets ONNX Runtime read or
/// write it in place. Made once per slot; nothing is copied or allocated per run.
/// <para>Lifetime (as <see cref="OrtValue"/>'s): the owner disposes it exactly once, after the last run that uses
/// it; the OrtValue is released before the memory under it is freed.</para>
/// </summary>
internal sealed unsafe class NativeTensor : IDisposable
{
    private byte* _data;

    public NativeTensor(long[] shape)
        : this(shape, TensorElementType.Float)
    {
    }

    public NativeTensor(long[] shape, TensorElementType elementType)
    {
        long count = 1;
        foreach (long d in shape)
        {
            Debug.Assert(d > 0, "shapes are resolved to concrete sizes before buffers are made");
            count = checked(count * d);
        }
        Length = checked((int)count);
        Shape = (long[])shape.Clone();
        ElementType = elementType;
        ElementSize = SizeOf(elementType);
        nuint bytes = (nuint)Length * (nuint)ElementSize;
        _data = (byte*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_data, bytes);
        Value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, elementType, Shape, (IntPtr)_data, (long)bytes);
    }

    public long[] Shape { get; }
    public int Length { get; }
    public TensorElementType ElementType { get; }
    public int ElementSize { get; }
    public OrtValue Value { get; }

    /// <summary>The data as float32; only for float tensors.</summary>
    public float* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data is null, this);
            Debug.Assert(ElementType == TensorElementType.Float, "float access to a float tensor only");
            return (float*)_data;
        }
    }

    public Span<float> Span => new(Pointer, Length);

    /// <summary>The data as <typeparamref name="T"/>, whose size must be the element size.</summary>
    public Span<T> As<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        Debug.Assert(sizeof(T) == ElementSize, "the view's element size matches the tensor's");
        return new Span<T>(_data, Length);
    }

    /// <summary>Bytes per element of the output element types the decoders read; other types are refused at load.</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float => 4,
        TensorElementType.UInt8 or TensorElementType.Int8 => 1,
        TensorElementType.Int32 => 4,
        TensorElementType.Int64 => 8,
        _ => throw new NotSupportedException($"tensor element type {type} is not supported (float32, uint8, int8, int32, int64 are)"),
    };

    /// <summary>The ONNX Runtime element type of a <see cref="TensorInfo.ElementType"/> name, or null when unsupported.</summary>
    public static TensorElementType? FromName(string name) => name switch
    {
        "float32" => TensorElementType.Float,
        "uint8" => TensorElementType.UInt8,
        "int8" => TensorElementType.Int8,
        "int32" => TensorElementType.Int32,
        "int64" => TensorElementType.Int64,
        _ => null,
    };

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
