using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Evaluation.Mot;
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
        var config = new Option<string?>("--config") { Description = "pipeline YAML whose tracker: section sets the thresholds" };
        var command = new Command("track", "run the tracker offline on detections from a file") { dets, output, seqinfo, config };
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
            long rows = Run(detections, options, parse.GetValue(output)!);
            Console.Error.WriteLine($"tracked {detections.Records.Count} detections over {detections.FrameCount} frames into {rows} track rows: {parse.GetValue(output)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Feeds each frame's detections to a fresh tracker and writes every tracked detection with its id.</summary>
    internal static long Run(MotSequence detections, TrackerOptions options, string outputPath)
    {
        var tracker = new ByteTracker(options);
        using MotTrackWriter writer = MotTrackWriter.Create(outputPath);
        var frameDets = new List<Detection>();
        var assignments = new TrackInfo[options.MaxDetections];
        for (int frame = 1; frame <= detections.FrameCount; frame++)
        {
            frameDets.Clear();
            foreach (MotRecord r in detections.RecordsInFrame(frame))
            {
                if (frameDets.Count == options.MaxDetections)
                {
                    break;
                }
                var box = BoundingBox.FromXywh((float)r.X, (float)r.Y, (float)r.Width, (float)r.Height);
                frameDets.Add(new Detection(box, Math.Max(0, r.ClassId), (float)Math.Clamp(r.Confidence, 0, 1), -1));
            }
            Span<TrackInfo> tracks = assignments.AsSpan(0, frameDets.Count);
            tracker.Update(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frameDets), frame, tracks);
            for (int i = 0; i < frameDets.Count; i++)
            {
                if (tracks[i].TrackId > 0)
                {
                    writer.WriteTrack(frame, tracks[i].TrackId, frameDets[i].Box, frameDets[i].Score);
                }
            }
        }
        return writer.RowCount;
    }
}
