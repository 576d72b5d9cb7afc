using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Bench;

/// <summary>What <c>realtimeseg bench</c> measures: one model on one source, in three phases (see <see cref="PipelineBench"/>).</summary>
public sealed record BenchOptions
{
    /// <summary>The pipeline to measure: its model(s), first source, tracker and composer settings. Pace and limits are the bench's.</summary>
    public required PipelineConfig Config { get; init; }

    /// <summary>Frames of the lockstep phase (b), and model runs of the ceiling (a). Default 300.</summary>
    public int Frames { get; init; } = 300;

    /// <summary>Length of the overload phase (c). Default 20 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Frames (and runs) at the start of each phase that are not measured: JIT, buffers growing, caches. Default 30.</summary>
    public int WarmUpFrames { get; init; } = 30;

    public void Validate()
    {
        if (Config.Sources.Count == 0)
        {
            throw new Core.ConfigurationException("bench needs a source (--source URI, or a config with sources:)");
        }
        if (Frames < WarmUpFrames + 10 || Frames > 1_000_000)
        {
            throw new Core.ConfigurationException($"--frames must be {WarmUpFrames + 10}…1000000 (the first {WarmUpFrames} warm up), got {Frames}");
        }
        if (Duration < TimeSpan.FromSeconds(3) || Duration > TimeSpan.FromHours(24))
        {
            throw new Core.ConfigurationException($"--duration must be 3 s … 24 h, got {Duration.TotalSeconds} s");
        }
    }
}
