namespace RealtimeSeg.Synthetic.Detections;

/// <summary>
/// How <see cref="DetectorSimulator"/> turns ground-truth boxes into the detections a real detector might give.
/// The defaults describe a fair single-stage detector at a driving or street camera: most visible objects found,
/// misses that come in runs (an object hidden or badly lit stays missed for a while, unlike a coin flip per frame),
/// occluded and small objects found less often and scored lower, box edges that wander rather than jump, and false
/// positives that can persist for a few frames at scores overlapping the true ones. Every figure is per object or per
/// frame of media time, so the same options mean the same detector at 10 and at 30 frames per second.
/// </summary>
public sealed record DetectorSimulatorOptions
{
    /// <summary>Seed of the simulation; the same seed, options and ground truth give the same detections, byte for byte.</summary>
    public long Seed { get; init; }

    /// <summary>Long-run share of frames in which a fully visible object at least <see cref="SmallHeight"/> tall is detected.</summary>
    public double Recall { get; init; } = 0.85;

    /// <summary>
    /// Mean length of a run of misses of one object, in seconds of media time. Misses form a two-state Markov chain per
    /// object whose long-run miss share is what recall, occlusion and size say; this sets how long a miss lasts once it
    /// starts. 0 draws every frame independently (as the KITTI-dev detections in the shared assets do).
    /// </summary>
    public double MissRunSeconds { get; init; } = 0.3;

    /// <summary>Miss probability added for a fully occluded object, in proportion to the hidden share of its box.</summary>
    public double OcclusionMissGain { get; init; } = 0.7;

    /// <summary>Objects shorter than this (pixels) are missed more often and scored lower, in proportion to how much shorter.</summary>
    public double SmallHeight { get; init; } = 30;

    /// <summary>Miss probability added for an object of height 0 (linearly less up to <see cref="SmallHeight"/>).</summary>
    public double SmallMissGain { get; init; } = 0.3;

    /// <summary>Objects less visible than this (share of the box) are never detected.</summary>
    public double MinVisibility { get; init; } = 0.1;

    /// <summary>Median score of a fully visible, large object.</summary>
    public double ScoreMedian { get; init; } = 0.8;

    /// <summary>Standard deviation, in logits, of a per-object score offset (some objects are always scored lower).</summary>
    public double ScoreObjectSpread { get; init; } = 0.6;

    /// <summary>Standard deviation, in logits, of the frame-to-frame score noise.</summary>
    public double ScoreFrameSpread { get; init; } = 0.6;

    /// <summary>Logits taken off the score of a fully occluded object, in proportion to the hidden share of its box.</summary>
    public double OcclusionScoreDrop { get; init; } = 2.0;

    /// <summary>Logits taken off the score of an object of height 0, linearly less up to <see cref="SmallHeight"/>.</summary>
    public double SmallScoreDrop { get; init; } = 1.5;

    /// <summary>Standard deviation of each box edge's error, as a share of the box width (left, right) or height (top, bottom).</summary>
    public double Jitter { get; init; } = 0.04;

    /// <summary>Correlation of an edge's error from one frame to the next (0 = independent, as the shared KITTI-dev set).</summary>
    public double JitterCorrelation { get; init; } = 0.5;

    /// <summary>Mean number of new false positives per frame, per ground-truth object in that frame.</summary>
    public double FalsePositivesPerObject { get; init; } = 0.02;

    /// <summary>Mean number of new false positives per frame regardless of the objects (background clutter).</summary>
    public double FalsePositivesPerFrame { get; init; } = 0.02;

    /// <summary>Mean life of a false positive in seconds (it stays in place, flickering, for that long); 0 = one frame.</summary>
    public double FalsePositiveLifetimeSeconds { get; init; } = 0.3;

    /// <summary>Median score of a false positive (logit spread as for true objects).</summary>
    public double FalsePositiveScoreMedian { get; init; } = 0.35;

    /// <summary>Detections scoring below this are not reported (a detector's confidence threshold).</summary>
    public double MinScore { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Unit(Recall, nameof(Recall));
        Unit(OcclusionMissGain, nameof(OcclusionMissGain));
        Unit(SmallMissGain, nameof(SmallMissGain));
        Unit(MinVisibility, nameof(MinVisibility));
        Unit(JitterCorrelation, nameof(JitterCorrelation));
        Unit(MinScore, nameof(MinScore));
        OpenUnit(ScoreMedian, nameof(ScoreMedian));
        OpenUnit(FalsePositiveScoreMedian, nameof(FalsePositiveScoreMedian));
        NonNegative(MissRunSeconds, nameof(MissRunSeconds));
        NonNegative(SmallHeight, nameof(SmallHeight));
        NonNegative(ScoreObjectSpread, nameof(ScoreObjectSpread));
        NonNegative(ScoreFrameSpread, nameof(ScoreFrameSpread));
        NonNegative(OcclusionScoreDrop, nameof(OcclusionScoreDrop));
        NonNegative(SmallScoreDrop, nameof(SmallScoreDrop));
        NonNegative(Jitter, nameof(Jitter));
        NonNegative(FalsePositivesPerObject, nameof(FalsePositivesPerObject));
        NonNegative(FalsePositivesPerFrame, nameof(FalsePositivesPerFrame));
        NonNegative(FalsePositiveLifetimeSeconds, nameof(FalsePositiveLifetimeSeconds));
        if (Jitter > 0.5)
        {
            throw new ArgumentException($"{nameof(Jitter)} must be at most 0.5 of the box size, was {Jitter}", nameof(Jitter));
        }
    }

    private static void Unit(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
        {
            throw new ArgumentException($"{name} must be in [0, 1], was {value}", name);
        }
    }

    private static void OpenUnit(double value, string name)
    {
        if (!(value is > 0 and < 1))
        {
            throw new ArgumentException($"{name} must be in (0, 1), was {value}", name);
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be a finite number ≥ 0, was {value}", name);
        }
    }
}
