namespace RealtimeSeg.Inference.Decoding;

/// <summary>The layout description a decoder family resolved from a model's shapes and metadata.</summary>
internal interface IDecoderLayout
{
    /// <summary>Number of classes the model scores (its category table's size).</summary>
    int ClassCount { get; }
}
