namespace RealtimeSeg.Inference.Decoding;

/// <summary>Post-processing thresholds shared by all decoders (from <see cref="ModelOptions"/>).</summary>
/// <param name="ConfidenceThreshold">Candidates scoring below are dropped before NMS.</param>
/// <param name="IouThreshold">Same-class boxes overlapping more than this with a better one are suppressed.</param>
/// <param name="MaxDetections">At most this many detections per frame, best first.</param>
/// <param name="Classes">Class ids to keep; null keeps all.</param>
internal sealed record DecoderOptions(float ConfidenceThreshold, float IouThreshold, int MaxDetections, IReadOnlyList<int>? Classes)
{
    public static DecoderOptions From(ModelOptions options)
        => new(options.ConfidenceThreshold, options.IouThreshold, options.MaxDetections, options.Classes);
}
