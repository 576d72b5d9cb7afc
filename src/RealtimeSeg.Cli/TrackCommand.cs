using System.CommandLine;
using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Pipeline.Offline;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg track --dets det.txt --out tracks.txt</c>: the project's tracker on MOTChallenge detections
/// (<c>frame,-1,x,y,w,h,score,…</c>), so it can be measured on any benchmark's public detections without a model.
/// </summary>
internal static class TrackCommand
{
    public static Command Create()
    {
        var dets = new Option<string>("--dets") { Description = "MOTChallenge detections (frame,-1,x,y,w,h,score[,class,…])", Required = true };
        var output = new Option<string>("--out") { Description = "tracker output in MOTChallenge format", Required = true };
        var seqinfo = new Option<string?>("--seqinfo") { Description = "seqinfo.ini: its seqLength bounds the frames, its frameRate converts the lost-track buffer to frames" };
        var frameRate = new Option<double?>("--frame-rate") { Description = "frames per second of the detections (overrides seqinfo.ini's frameRate; without either, 30 is assumed)" };
        frameRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is double fps && !TrackerOptions.IsKnownFrameRate(fps))
            {
                result.AddError($"--frame-rate must be above 0 and at most 1000, got {fps.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        var interpolate = new Option<int>("--interpolate") { Description = "fill gaps of up to N frames inside a track by linear interpolation (offline only; 0 = off)", DefaultValueFactory = _ => OfflineTracker.DefaultMaxInterpolatedGap };
        var config = new Option<string?>("--config") { Description = "pipeline YAML whose tracker: section sets the thresholds" };
        var command = new Command("track", "run the tracker offline on detections from a file") { dets, output, seqinfo, frameRate, interpolate, config };
        command.SetAction(parse =>
        {
            string detsPath = parse.GetValue(dets)!;
            EvalCommand.RequireFile(detsPath, "--dets");
            TrackerOptions options = new();
            if (parse.GetValue(config) is { } configPath)
            {
                var loader = new Pipeline.Configuration.PipelineConfigLoader();
                Pipeline.Configuration.PipelineConfig loaded = loader.Load(configPath);
                loader.ValidateTracker(loaded);
                options = loaded.Tracker;
            }
            MotSeqInfo? info = parse.GetValue(seqinfo) is { } ini ? MotSeqInfo.ReadFile(ini) : null;
            options = ForDetections(options, parse.GetValue(frameRate), info, out string rateNote);
            Console.Error.WriteLine(rateNote);
            MotSequence detections = MotTextReader.ReadFile(detsPath, frameCount: info?.SeqLength);
            long rows;
            using (MotTrackWriter writer = MotTrackWriter.Create(parse.GetValue(output)!))
            {
                rows = OfflineTracker.Run(detections, options, writer, parse.GetValue(interpolate));
            }
            Console.Error.WriteLine($"tracked {detections.Records.Count} detections over {detections.FrameCount} frames into {rows} track rows: {parse.GetValue(output)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The tracker options for detections at the rate <paramref name="frameRateFlag"/> gives, else the sequence's
    /// <c>frameRate</c>, else <see cref="TrackerOptions.ReferenceFrameRate"/>; <paramref name="note"/> says which, for the log.
    /// </summary>
    internal static TrackerOptions ForDetections(TrackerOptions options, double? frameRateFlag, MotSeqInfo? info, out string note)
    {
        (double fps, string from) = frameRateFlag is double flag ? (flag, "--frame-rate")
            : info?.FrameRate is double seq ? (seq, "frameRate in seqinfo.ini")
            : (TrackerOptions.ReferenceFrameRate, "assumed: no --frame-rate and no frameRate in a --seqinfo");
        TrackerOptions resolved = options.ForFrameRate(fps);
        string buffer = options.TrackBufferFrames is int frames
            ? $"tracker.track_buffer_frames {frames}, a fixed count at any rate"
            : $"{options.TrackBufferSeconds.ToString(CultureInfo.InvariantCulture)} s";
        note = string.Create(CultureInfo.InvariantCulture, $"track: {fps:0.###} fps ({from}); lost-track buffer {resolved.LostTrackBufferFrames} frames ({buffer})");
        return resolved;
    }
}
