using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Turns one output family's tensors into detections and masks. One implementation per family, configured by a
/// layout description resolved at load time — never one class per model version.
/// <para>Implementations keep per-frame scratch in the workspace they create, one per <see cref="InferenceSlot"/>, so
/// slots can be decoded on different threads; the decoder itself is immutable after construction.</para>
/// </summary>
internal interface IOutputDecoder
{
    /// <summary>The registry name, e.g. "yolo-seg".</summary>
    string Name { get; }

    /// <summary>Number of instance classes the model scores (0 for a semantic-only model).</summary>
    int ClassCount { get; }

    /// <summary>Number of semantic classes <see cref="Decode"/> writes into a <see cref="SemanticMap"/>; 0 when the family has no semantic output.</summary>
    int SemanticClassCount { get; }

    /// <summary>Capacity a <see cref="DetectionSet"/> needs for <see cref="Decode"/> never to overflow.</summary>
    int MaxDetections { get; }

    /// <summary>Mask arena floats a <see cref="DetectionSet"/> needs so that every detection gets its mask.</summary>
    int MaskArenaFloats { get; }

    /// <summary>Scratch for one slot; made once, reused for every frame that slot carries.</summary>
    object CreateWorkspace();

    /// <summary>
    /// Clears <paramref name="output"/> and fills it from the slot's outputs, in source-image pixels; when the family has
    /// a semantic output and <paramref name="semantic"/> is given, also fills it (reset to the model's map and geometry).
    /// </summary>
    void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic);
}
