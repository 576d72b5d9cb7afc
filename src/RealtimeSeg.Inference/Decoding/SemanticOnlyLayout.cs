namespace RealtimeSeg.Inference.Decoding;

/// <summary>The layout of a semantic-only model: its one semantic output and no instance classes.</summary>
internal sealed record SemanticOnlyLayout(SemanticLayout Semantic) : IDecoderLayout
{
    public int ClassCount => 0;
}
