namespace RealtimeSeg.Inference;

/// <summary>What <c>realtimeseg models inspect FILE</c> reports about a model (see <see cref="ModelDescriptionText"/>).</summary>
/// <param name="Path">Absolute path of the model file.</param>
/// <param name="Producer">The tool that wrote the file (e.g. "pytorch", "tf2onnx").</param>
/// <param name="Inputs">Inputs as declared, dynamic dimensions as -1.</param>
/// <param name="Outputs">Outputs as declared.</param>
/// <param name="Metadata">Custom metadata key/values, sorted by key.</param>
/// <param name="Input">How frames would be fed (e.g. "images float32 [1,3,320,320] NCHW RGB /255 letterbox"), or null.</param>
/// <param name="InputConvention">Where the colour order and normalisation of <paramref name="Input"/> come from (metadata, or assumed).</param>
/// <param name="InputProblem">Why frames cannot be fed, when <paramref name="Input"/> is null.</param>
/// <param name="Decoder">The decoder auto-selection would pick, or null when none fits.</param>
/// <param name="Decoders">Every decoder family's verdict and reason.</param>
/// <param name="ClassCount">Classes the chosen decoder scores, when one fits.</param>
/// <param name="ClassNames">Class names from metadata 'names', in id order, when present.</param>
/// <param name="AvailableProviders">Execution providers of the ONNX Runtime build in use.</param>
public sealed record ModelDescription(
    string Path,
    string Producer,
    IReadOnlyList<TensorInfo> Inputs,
    IReadOnlyList<TensorInfo> Outputs,
    IReadOnlyList<KeyValuePair<string, string>> Metadata,
    string? Input,
    string? InputConvention,
    string? InputProblem,
    string? Decoder,
    IReadOnlyList<DecoderVerdict> Decoders,
    int? ClassCount,
    IReadOnlyList<string>? ClassNames,
    IReadOnlyList<string> AvailableProviders)
{
    /// <summary>Classes the chosen decoder's semantic output scores (0 when it has none).</summary>
    public int SemanticClassCount { get; init; }
}
