using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Onnx;
using RealtimeSeg.Inference.Preprocessing;

namespace RealtimeSeg.Inference;

/// <summary>
/// Everything one in-flight frame needs inside a model: its input tensor, its output tensors, the ONNX Runtime
/// values and I/O binding over them, the letterbox transform of the frame it holds, and preprocessing and decoding
/// scratch. Made by <see cref="SegmentationModel.CreateSlot"/>; a pipeline keeps two or three and rotates them so
/// that frame k is decoded while frame k+1 is inferred.
/// <para>Lifetime (as with <see cref="OrtValue"/>): the slot owns native memory. It is owned by one stage at a time
/// (not thread-safe) and disposed once, when no run on it is in progress; disposing the model disposes the slots it
/// made. Use after dispose throws <see cref="ObjectDisposedException"/>.</para>
/// </summary>
public sealed unsafe class InferenceSlot : IDisposable
{
    private readonly NativeTensor _input;
    private readonly NativeTensor?[] _outputs;   // null where the output is fetched (shape known only after the run)
    private readonly bool _fetches;
    private IDisposableReadOnlyCollection<OrtValue>? _fetched;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly LetterboxPreprocessor _preprocessor;
    private bool _disposed;

    internal InferenceSlot(SegmentationModel owner, InferenceSession session, InputSpec input, IReadOnlyList<TensorInfo> outputs, object decoderWorkspace)
    {
        Owner = owner;
        DecoderWorkspace = decoderWorkspace;
        _input = new NativeTensor(input.Shape);
        _outputs = new NativeTensor?[outputs.Count];
        _runOptions = new RunOptions();
        _preprocessor = new LetterboxPreprocessor(input);
        try
        {
            for (int i = 0; i < outputs.Count; i++)
            {
                TensorElementType type = NativeTensor.FromName(outputs[i].ElementType)
                    ?? throw new ModelLoadException(owner.Path, $"output {outputs[i]} has an element type no decoder reads (float32, uint8, int8, int32, int64)");
                if (IsStatic(outputs[i]))
                {
                    _outputs[i] = new NativeTensor([.. outputs[i].Shape], type);
                }
                else
                {
                    _fetches = true;
                }
            }
            // Bound once: every run reads and writes these buffers in place, with no per-run managed allocation
            // (InferenceSession.Run with OrtValue lists marshals names and handles into new arrays on each call).
            _binding = session.CreateIoBinding();
            _binding.BindInput(input.Name, _input.Value);
            for (int i = 0; i < outputs.Count; i++)
            {
                if (_outputs[i] is { } tensor)
                {
                    _binding.BindOutput(outputs[i].Name, tensor.Value);
                }
                else
                {
                    // A shape known only after the run (Mask R-CNN's n detections) cannot be pre-allocated: ONNX
                    // Runtime allocates it per run and the slot fetches it (a few small managed objects a run).
                    _binding.BindOutputToDevice(outputs[i].Name, OrtMemoryInfo.DefaultInstance);
                }
            }
        }
        catch
        {
            DisposeBuffers();
            throw;
        }
    }

    internal SegmentationModel Owner { get; }
    internal object DecoderWorkspace { get; }
    internal LetterboxPreprocessor Preprocessor => _preprocessor;
    internal OrtIoBinding Binding => _binding;
    internal RunOptions RunOptions => _runOptions;
    internal NativeTensor InputTensor => _input;
    internal NativeTensor? OutputTensor(int index) => _outputs[index];

    /// <summary>Whether some output has a run-time shape and is fetched after each run.</summary>
    internal bool FetchesOutputs => _fetches;

    /// <summary>Outputs of static shape are bound to slot memory; the others are allocated by ONNX Runtime per run.</summary>
    internal static bool IsStatic(TensorInfo t)
    {
        if (t.Rank == 0)
        {
            return false;
        }
        foreach (long d in t.Shape)
        {
            if (d <= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Runs the bound session and, for fetched outputs, keeps this run's values until the next run.</summary>
    internal void RunBound(InferenceSession session)
    {
        session.RunWithBinding(_runOptions, _binding);
        if (_fetches)
        {
            _fetched?.Dispose();
            _fetched = _binding.GetOutputValues();
        }
    }

    /// <summary>Output <paramref name="index"/> of the last run as an <see cref="OrtValue"/> (fetched outputs only).</summary>
    internal OrtValue Fetched(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fetched is null)
        {
            ThrowHelper.ThrowInvalidOperation("no run has fetched outputs yet");
        }
        return _fetched[index];
    }

    /// <summary>The run-time shape of output <paramref name="index"/> (start-up and dynamic-output decoders only: allocates).</summary>
    internal long[] OutputShape(int index)
        => _outputs[index] is { } t ? t.Shape : Fetched(index).GetTensorTypeAndShape().Shape;
    internal SlotState State { get; set; }

    /// <summary>The letterbox of the frame last preprocessed into this slot; <c>default</c> before the first.</summary>
    public LetterboxTransform Transform { get; internal set; }

    /// <summary>The model input as last preprocessed (model layout, normalised).</summary>
    public ReadOnlySpan<float> Input
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _input.Span;
        }
    }

    public int OutputCount => _outputs.Length;

    /// <summary>Output <paramref name="index"/> (model order) as last inferred, flattened row-major; a float32 output.</summary>
    public ReadOnlySpan<float> Output(int index) => Output<float>(index);

    /// <summary>
    /// Output <paramref name="index"/> as <typeparamref name="T"/> (float for float32, byte for uint8, sbyte for int8,
    /// int for int32, long for int64), flattened row-major.
    /// </summary>
    public ReadOnlySpan<T> Output<T>(int index)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_outputs.Length, nameof(index));
        if (_outputs[index] is not { } t)
        {
            OrtValue v = Fetched(index);
            if (v.GetTensorTypeAndShape().ElementDataType != ElementTypeOf<T>())
            {
                ThrowHelper.ThrowInvalidOperation($"output {index} is not {typeof(T).Name}");
            }
            return v.GetTensorDataAsSpan<T>();
        }
        if (t.ElementType != ElementTypeOf<T>())
        {
            ThrowHelper.ThrowInvalidOperation($"output {index} holds {t.ElementType}, not {typeof(T).Name}");
        }
        return t.As<T>();
    }

    /// <summary>The element type of output <paramref name="index"/>.</summary>
    public TensorElementType OutputElementType(int index)
        => _outputs[index] is { } t ? t.ElementType : Fetched(index).GetTensorTypeAndShape().ElementDataType;

    private static TensorElementType ElementTypeOf<T>()
        where T : unmanaged
        => typeof(T) == typeof(float) ? TensorElementType.Float
            : typeof(T) == typeof(byte) ? TensorElementType.UInt8
            : typeof(T) == typeof(sbyte) ? TensorElementType.Int8
            : typeof(T) == typeof(int) ? TensorElementType.Int32
            : typeof(T) == typeof(long) ? TensorElementType.Int64
            : TensorElementType.DataTypeMax;

    public bool IsDisposed => _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Owner.Forget(this);
        DisposeBuffers();
    }

    private void DisposeBuffers()
    {
        // The binding references the OrtValues, which reference the buffers: release in that order.
        _fetched?.Dispose();
        _binding?.Dispose();
        foreach (NativeTensor? t in _outputs)
        {
            t?.Dispose();
        }
        _input.Dispose();
        _runOptions.Dispose();
        _preprocessor.Dispose();
    }

    [Conditional("DEBUG")]
    internal void AssertInvariants()
    {
        Debug.Assert(!_disposed);
        Debug.Assert(State == SlotState.Empty || Transform.IsValid, "a slot past Empty holds a letterboxed frame");
    }
}
