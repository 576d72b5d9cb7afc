using System.CommandLine;
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
        var seqinfo = new Option<string?>("--seqinfo") { Description = "seqinfo.ini: its seqLength bounds the frames" };
        var interpolate = new Option<int>("--interpolate") { Description = "fill gaps of up to N frames inside a track by linear interpolation (offline only; 0 = off)", DefaultValueFactory = _ => OfflineTracker.DefaultMaxInterpolatedGap };
        var config = new Option<string?>("--config") { Description = "pipeline YAML whose tracker: section sets the thresholds" };
        var command = new Command("track", "run the tracker offline on detections from a file") { dets, output, seqinfo, interpolate, config };
        command.SetAction(parse =>
        {
            string detsPath = parse.GetValue(dets)!;
            EvalCommand.RequireFile(detsPath, "--dets");
            TrackerOptions options = new();
            if (parse.GetValue(config) is { } configPath)
            {
                var loader = new Pipeline.Configuration.PipelineConfigLoader();
                options = loader.Load(configPath).Tracker;
            }
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException($"tracker: {e.Message}", e);
            }
            int? length = parse.GetValue(seqinfo) is { } ini ? MotSeqInfo.ReadFile(ini).SeqLength : null;
            MotSequence detections = MotTextReader.ReadFile(detsPath, frameCount: length);
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
}
