using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Publishing;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Everything <c>realtimeseg run</c> needs, bound from YAML (see <c>configs/</c>) and/or the command line.
/// Each section is a typed, documented options record owned by the stage it configures.
/// </summary>
public sealed record PipelineConfig
{
    public PipelineOptions Pipeline { get; init; } = new();
    public IReadOnlyList<SourceConfig> Sources { get; init; } = [];
    public ModelOptions Model { get; init; } = new();
    public TrackerOptions Tracker { get; init; } = new();
    public ComposerOptions Panoptic { get; init; } = new();
    public PublisherOptions Publish { get; init; } = new();

    /// <summary>Name of stream <paramref name="index"/>: its configured name or s0, s1, ….</summary>
    public string StreamName(int index) => Sources[index].Name ?? "s" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
