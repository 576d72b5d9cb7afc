using System.Diagnostics.CodeAnalysis;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>A decoder family in the registry: recognises its output layout from shapes and metadata, and builds the decoder.</summary>
internal interface IOutputDecoderFactory
{
    string Name { get; }

    /// <summary>The input convention of the family's reference exports, or null when it has none.</summary>
    InputConvention? Convention { get; }

    /// <summary>
    /// Whether the family's decoder runs NMS itself, and so honours <see cref="ModelOptions.IouThreshold"/> and
    /// <see cref="ModelOptions.MergeIouThreshold"/> (false for models whose NMS is inside the graph, and for semantic maps).
    /// </summary>
    bool RunsNms { get; }

    /// <summary>What the family needs, for messages: e.g. "output0 [1, 4+nc+nm, N] and output1 [1, nm, mh, mw]".</summary>
    string Expects { get; }

    /// <summary>
    /// Whether the model's outputs have this family's layout. On success <paramref name="reason"/> says what was
    /// recognised; on failure it names the tensor and the expected vs actual shape.
    /// </summary>
    bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason);

    IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options);
}
