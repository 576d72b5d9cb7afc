using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Pipeline.Drives;
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

    /// <summary>Playback of recordings: speed, start, end, loop (the <c>playback:</c> section; overrides drive files).</summary>
    public PlaybackOptions Playback { get; init; } = new();
    public ModelOptions Model { get; init; } = new();
    public TrackerOptions Tracker { get; init; } = new();
    public ComposerOptions Panoptic { get; init; } = new();
    public PublisherOptions Publish { get; init; } = new();

    /// <summary>Name of source <paramref name="index"/>: its configured name or s0, s1, … (a drive source expands into its camera names instead).</summary>
    public string StreamName(int index) => Sources[index].Name ?? "s" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
