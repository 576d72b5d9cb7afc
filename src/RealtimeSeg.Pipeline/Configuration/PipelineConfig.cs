using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.Pipeline.Drives;
using RealtimeSeg.Publishing;
using RealtimeSeg.Publishing.Overlay;
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

    /// <summary>
    /// Several models on every frame, fused into one panoptic output (the <c>models:</c> list, instead of <c>model:</c>).
    /// Each model's <c>instance_classes</c>/<c>semantic_classes</c> map its classes to ids of <see cref="Categories"/>.
    /// Null: the single <see cref="Model"/>.
    /// </summary>
    public IReadOnlyList<ModelOptions>? Models { get; init; }

    /// <summary>The merged output category table of a <c>models:</c> config (top-level <c>categories:</c>); only with <see cref="Models"/>.</summary>
    public IReadOnlyList<CategoryOptions>? Categories { get; init; }

    /// <summary>Whether this config fuses several models (a <c>models:</c> list).</summary>
    public bool IsFusion => Models is not null;
    public TrackerOptions Tracker { get; init; } = new();
    public ComposerOptions Panoptic { get; init; } = new();
    public PublisherOptions Publish { get; init; } = new();

    /// <summary>Camera frames as JPEG for the image topic and recordings (the <c>images:</c> section).</summary>
    public ImageOptions Images { get; init; } = new();

    /// <summary>The HTTP endpoint: live viewer, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> (the <c>http:</c> section; off by default).</summary>
    public HttpOptions Http { get; init; } = new();

    /// <summary>Each frame drawn over its camera picture into an MP4 and/or PNG stills (the <c>overlay:</c> section; <c>--overlay</c>).</summary>
    public OverlayOptions Overlay { get; init; } = new();

    /// <summary>
    /// The file this config was loaded from and where each key was written in it (<see cref="ConfigOrigin.None"/> when
    /// built in code); kept through <c>with</c> so checks after loading (<see cref="StartupChecks"/>) name file and line.
    /// Not a YAML key: internal properties are not bound.
    /// </summary>
    internal ConfigOrigin Origin { get; init; } = ConfigOrigin.None;

    /// <summary>Name of source <paramref name="index"/>: its configured name or s0, s1, … (a drive source expands into its camera names instead).</summary>
    public string StreamName(int index) => Sources[index].Name ?? "s" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
