namespace RealtimeSeg.Inference.Decoding;

/// <summary>Post-processing thresholds shared by all decoders (from <see cref="ModelOptions"/>).</summary>
/// <param name="ConfidenceThreshold">Candidates scoring below are dropped before NMS.</param>
/// <param name="IouThreshold">Same-class boxes overlapping more than this with a better one are suppressed.</param>
/// <param name="MaxDetections">At most this many detections per frame, best first.</param>
/// <param name="Classes">Class ids to keep; null keeps all.</param>
/// <param name="MergeIouThreshold">When set, each kept box becomes the weighted mean of the same-class candidates overlapping it by more than this (merge NMS); null keeps the best box as it is.</param>
internal sealed record DecoderOptions(float ConfidenceThreshold, float IouThreshold, int MaxDetections, IReadOnlyList<int>? Classes, float? MergeIouThreshold = null)
{
    public static DecoderOptions From(ModelOptions options)
        => new(options.ConfidenceThreshold, options.IouThreshold, options.MaxDetections, options.Classes, options.MergeIouThreshold);

    /// <summary>Per class of a model with <paramref name="classCount"/> classes, whether <see cref="Classes"/> keeps it; null keeps all. Ids out of range are ignored.</summary>
    public bool[]? AllowedClasses(int classCount)
    {
        if (Classes is not { } classes)
        {
            return null;
        }
        var allowed = new bool[classCount];
        foreach (int c in classes)
        {
            if ((uint)c < (uint)classCount)
            {
                allowed[c] = true;
            }
        }
        return allowed;
    }
}
