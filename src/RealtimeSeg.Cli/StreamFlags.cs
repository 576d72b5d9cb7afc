using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Drives;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>run</c>'s flags for several streams and recorded drives: <c>--drive FILE</c> (repeatable, adds <c>drive:FILE</c>
/// sources), <c>--speed</c>, <c>--start</c>, <c>--end</c>, <c>--loop</c> (the <c>playback:</c> section) and
/// <c>--latency-window</c>. Kept apart from <see cref="RunCommand"/> so the verb's own flags stay in one place.
/// </summary>
internal static class StreamFlags
{
    private static readonly Option<string[]> DriveOption = new("--drive") { Description = "a recorded drive (configs/drive-*.yaml); its cameras become streams. Repeatable; adds to --source", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<double?> SpeedOption = new("--speed") { Description = "drives in realtime pace: recorded time runs this many times faster than the wall clock" };
    private static readonly Option<double?> StartOption = new("--start") { Description = "drives: start SECONDS into the drive" };
    private static readonly Option<double?> EndOption = new("--end") { Description = "drives: stop SECONDS into the drive" };
    private static readonly Option<bool> LoopOption = new("--loop") { Description = "start recordings (drives and video files) again at their end" };
    private static readonly Option<double?> LatencyWindowOption = new("--latency-window") { Description = "summarize capture→publish latency per window of SECONDS in --stats (latency_windows; default 10, 0 = off)" };

    public static IEnumerable<Option> All => [DriveOption, SpeedOption, StartOption, EndOption, LoopOption, LatencyWindowOption];

    /// <summary>Applies the flags over <paramref name="config"/> (after <c>--source</c>). Bad values fail with exit 2 naming the flag.</summary>
    public static PipelineConfig Apply(ParseResult parse, PipelineConfig config)
    {
        string[] drives = parse.GetValue(DriveOption) ?? [];
        if (drives.Length > 0)
        {
            var sources = new List<SourceConfig>(config.Sources);
            foreach (string drive in drives)
            {
                sources.Add(new SourceConfig { Uri = DriveConfig.UriScheme + Path.GetFullPath(drive) });
            }
            config = config with { Sources = sources };
        }
        PlaybackOptions playback = config.Playback;
        if (parse.GetValue(SpeedOption) is { } speed)
        {
            playback = playback with { Speed = speed };
        }
        if (parse.GetValue(StartOption) is { } start)
        {
            playback = playback with { Start = Seconds(start, "--start") };
        }
        if (parse.GetValue(EndOption) is { } end)
        {
            playback = playback with { End = Seconds(end, "--end") };
        }
        if (parse.GetValue(LoopOption))
        {
            playback = playback with { Loop = true };
        }
        config = config with { Playback = playback };
        if (parse.GetValue(LatencyWindowOption) is { } window)
        {
            config = config with { Pipeline = config.Pipeline with { LatencyWindow = Seconds(window, "--latency-window") } };
        }
        return config;
    }

    private static TimeSpan Seconds(double value, string flag)
    {
        if (!(value >= 0 && double.IsFinite(value)))
        {
            throw new ConfigurationException($"{flag} must be a number of seconds ≥ 0 (got {value})");
        }
        return TimeSpan.FromSeconds(value);
    }
}
