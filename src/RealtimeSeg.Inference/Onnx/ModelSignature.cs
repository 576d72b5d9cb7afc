using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RealtimeSeg.Inference.Metadata;

namespace RealtimeSeg.Inference.Onnx;

/// <summary>
/// Everything about a model that decides how it is fed and decoded: inputs, outputs (batch resolved to 1),
/// custom metadata and the class names parsed from it. Read once at load time.
/// </summary>
internal sealed class ModelSignature
{
    public ModelSignature(string path, string producer, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Producer = producer;
        RawInputs = inputs;
        RawOutputs = outputs;
        Inputs = Array.ConvertAll([.. inputs], ResolveBatch);
        // An unbatched [3, H, W] image input means the outputs' first dimension counts instances, not images.
        bool batched = inputs.Count != 1 || inputs[0].Rank != 3;
        Outputs = batched ? Array.ConvertAll([.. outputs], ResolveBatch) : outputs;
        Metadata = metadata;
        Extensions = RealtimeSegMetadata.Read(path, metadata);
        if (metadata.TryGetValue("names", out string? namesText))
        {
            if (PythonLiteral.TryParseNames(namesText, out SortedDictionary<int, string>? names, out string? error))
            {
                ClassNames = names;
            }
            else
            {
                NamesProblem = $"metadata 'names' is not a Python dict or list of class names ({error})";
            }
        }
    }

    public string Path { get; }
    public string Producer { get; }
    /// <summary>Inputs and outputs as the model declares them (dynamic dimensions as -1).</summary>
    public IReadOnlyList<TensorInfo> RawInputs { get; }
    public IReadOnlyList<TensorInfo> RawOutputs { get; }

    /// <summary>Inputs and outputs with a dynamic batch dimension fixed to 1, the only batch the pipeline runs.</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }
    public IReadOnlyList<TensorInfo> Outputs { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The <c>realtimeseg.*</c> keys (categories, class mappings, input convention, output roles).</summary>
    public RealtimeSegMetadata Extensions { get; }

    /// <summary>Class id → name from metadata 'names', when present and readable.</summary>
    public SortedDictionary<int, string>? ClassNames { get; }

    /// <summary>Why metadata 'names' could not be used, when it is present but unreadable.</summary>
    public string? NamesProblem { get; }

    /// <summary>An Ultralytics export (its metadata carries author/task/names as Ultralytics writes them).</summary>
    public bool IsUltralytics
        => (Metadata.TryGetValue("author", out string? author) && author.Contains("Ultralytics", StringComparison.OrdinalIgnoreCase))
            || (Metadata.ContainsKey("task") && Metadata.ContainsKey("names"));

    public string? TaskName => Metadata.TryGetValue("task", out string? task) ? task : null;

    private static TensorInfo ResolveBatch(TensorInfo t)
        => t.Rank > 0 && t.Shape[0] < 0 ? t with { Shape = [1, .. t.Shape.Skip(1)] } : t;

    public static ModelSignature Read(string path, InferenceSession session)
    {
        ModelMetadata meta = session.ModelMetadata;
        var metadata = new SortedDictionary<string, string>(meta.CustomMetadataMap, StringComparer.Ordinal);
        return new ModelSignature(
            path, meta.ProducerName ?? "", Describe(session.InputNames, session.InputMetadata), Describe(session.OutputNames, session.OutputMetadata), metadata);
    }

    // Names come in the model's own order (output0 before output1); the metadata dictionaries do not promise one.
    private static TensorInfo[] Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> nodes)
    {
        var list = new TensorInfo[names.Count];
        int i = 0;
        foreach (string name in names)
        {
            NodeMetadata m = nodes[name];
            long[] shape;
            string[] symbols;
            if (m.IsTensor)
            {
                shape = Array.ConvertAll(m.Dimensions, d => (long)d);
                symbols = m.SymbolicDimensions ?? [];
            }
            else
            {
                shape = [];
                symbols = [];
            }
            list[i++] = new TensorInfo(name, m.IsTensor ? ElementTypeName(m.ElementDataType) : m.OnnxValueType.ToString().ToLowerInvariant(), shape, symbols);
        }
        return list;
    }

    internal static string ElementTypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Double => "float64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int16 => "int16",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => type.ToString().ToLowerInvariant(),
    };
}
