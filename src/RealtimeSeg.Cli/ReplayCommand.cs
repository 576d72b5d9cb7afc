using System.CommandLine;
using System.Globalization;
using System.Runtime;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Recorder;
using RealtimeSeg.Publishing;
using RealtimeSeg.Publishing.Overlay;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg replay FILE.mcap</c>: publishes a recording again with its original timing (<see cref="RecordingPlayer"/>).</summary>
internal static class ReplayCommand
{
    private static readonly Argument<string> FileArgument = new("file") { Description = "the .mcap recording (a crashed one plays as far as it is complete)" };
    private static readonly Option<string?> PublishOption = new("--publish") { Description = "ZeroMQ endpoint to publish on (default tcp://127.0.0.1:5556)" };
    private static readonly Option<double> SpeedOption = new("--speed") { Description = "recorded time runs this many times faster than the wall clock", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<bool> LoopOption = new("--loop") { Description = "start again at the end" };
    private static readonly Option<double> StartOption = new("--start") { Description = "skip the first SECONDS of the recording" };
    private static readonly Option<double?> EndOption = new("--end") { Description = "stop SECONDS into the recording" };
    private static readonly Option<string?> StreamOption = new("--stream") { Description = "replay this stream only" };
    private static readonly Option<double> WaitOption = new("--wait-for-subscriber") { Description = "hold the first frame up to SECONDS until a subscriber has subscribed" };
    private static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "only warnings and errors on stderr" };

    public static Command Create()
    {
        var command = new Command("replay", "publish a recording again, message for message, with its original timing")
        {
            FileArgument, PublishOption, SpeedOption, LoopOption, StartOption, EndOption, StreamOption, WaitOption, QuietOption,
        };
        foreach (Option option in OverlayFlags.All.Concat(SecurityFlags.Publisher))
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var log = new ConsoleLog(Console.Error, parse.GetValue(QuietOption));
        double start = parse.GetValue(StartOption), wait = parse.GetValue(WaitOption);
        double? end = parse.GetValue(EndOption);
        if (!double.IsFinite(start) || start < 0 || !double.IsFinite(wait) || wait < 0 || end is { } e && !(e > 0 && double.IsFinite(e)))
        {
            throw new ConfigurationException("--start, --end and --wait-for-subscriber are seconds ≥ 0 (--end > 0)");
        }
        var options = new ReplayOptions
        {
            Speed = parse.GetValue(SpeedOption),
            Loop = parse.GetValue(LoopOption),
            Start = TimeSpan.FromSeconds(start),
            End = end is { } stop ? TimeSpan.FromSeconds(stop) : null,
            Stream = parse.GetValue(StreamOption),
            WaitForSubscriber = TimeSpan.FromSeconds(wait),
        };
        // A recording is replayed to be kept or analysed: a subscriber that falls behind for a moment (a recorder
        // compressing a chunk) must not lose frames to ZeroMQ's silent per-subscriber drop, so the queue per subscriber
        // is the largest allowed (1000 messages, ~33 s at 30 frames/s) instead of a live run's 8.
        var publishOptions = SecurityFlags.Apply(parse, new PublisherOptions
        {
            Endpoint = parse.GetValue(PublishOption) ?? new PublisherOptions().Endpoint,
            SendHighWaterMark = PublisherOptions.MaxSendHighWaterMark,
        });
        publishOptions.Validate();
        var player = new RecordingPlayer(parse.GetValue(FileArgument)!, options, log);
        // The overlay draws on the recorded camera JPEGs at their recorded size (images.max_width of the recorded run).
        OverlayOptions overlay = OverlayFlags.Apply(parse, new OverlayOptions());
        await using OverlaySink? overlaySink = overlay.Enabled ? new OverlaySink(overlay, log) : null;
        await using var publisher = new ZeroMqPublisher(publishOptions, log);
        // The reader allocates each chunk it decompresses (about a megabyte a second of recording): no blocking full
        // collection may pause the schedule for it while the replay runs (the process ends with the replay).
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        Task<ReplayReport> replay = player.RunAsync(publisher, overlaySink, ct);
        if (await Task.WhenAny(publisher.Ready, replay).ConfigureAwait(false) == publisher.Ready && publisher.Ready.IsCompletedSuccessfully)
        {
            log.Info($"replaying {parse.GetValue(FileArgument)} on {publisher.Endpoint} at ×{options.Speed.ToString("0.###", CultureInfo.InvariantCulture)}; watch with: realtimeseg subscribe --connect {publisher.Endpoint}{SecurityFlags.SubscribeHint(publishOptions)}");
        }
        ReplayReport report = await replay.ConfigureAwait(false);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay {(ct.IsCancellationRequested ? "stopped" : "done")}: {report.FramesPublished} frames, {report.EndsPublished} stream ends, {report.Passes} pass{(report.Passes == 1 ? "" : "es")}, schedule late p99 {report.LateP99Ms:0.###} ms{(report.Indexed ? "" : " (read without an index: the file was not closed cleanly)")}{(overlaySink is null ? "" : $"; overlay: {overlaySink.VideoFrames} video frames, {overlaySink.StillsWritten} stills")}"));
        return ExitCodes.Success;
    }
}
