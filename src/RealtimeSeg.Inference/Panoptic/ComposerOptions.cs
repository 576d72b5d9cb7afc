namespace RealtimeSeg.Inference.Panoptic;

/// <summary>How <see cref="PanopticComposer"/> builds the panoptic map.</summary>
public sealed record ComposerOptions
{
    /// <summary>The map is the image divided by this (1, 2 or 4), rounded up: 2 turns 1280x720 into 640x360.</summary>
    public int MapDivisor { get; init; } = 2;

    /// <summary>Segments with fewer visible map pixels than this become void (0) and are dropped. At least 1 is always applied.</summary>
    public int MinSegmentArea { get; init; } = 16;

    /// <summary>A thing covers a map pixel when its mask, sampled bilinearly at the pixel centre, is at least this.</summary>
    public float MaskThreshold { get; init; } = 0.5f;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (MapDivisor is not (1 or 2 or 4))
        {
            throw new ArgumentException($"{nameof(MapDivisor)} must be 1, 2 or 4, was {MapDivisor}", nameof(MapDivisor));
        }
        if (MinSegmentArea < 0)
        {
            throw new ArgumentException($"{nameof(MinSegmentArea)} must be ≥ 0, was {MinSegmentArea}", nameof(MinSegmentArea));
        }
        if (!(MaskThreshold is > 0f and <= 1f))
        {
            throw new ArgumentException($"{nameof(MaskThreshold)} must be in (0, 1], was {MaskThreshold}", nameof(MaskThreshold));
        }
    }
}
